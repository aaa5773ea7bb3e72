import Foundation

@testable import OpsWinRM

/// Bytes from hexadecimal text; whitespace and line breaks are ignored, anything else that is not a hex digit
/// makes the test data itself wrong, so it yields an empty array that no assertion will accept.
func hex(_ text: String) -> [UInt8] {
    let digits = text.filter { !$0.isWhitespace }
    guard digits.count % 2 == 0 else { return [] }
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        guard let byte = UInt8(digits[index..<next], radix: 16) else { return [] }
        bytes.append(byte)
        index = next
    }
    return bytes
}

/// UTF-16LE bytes of a string, as NTLM encodes text.
func utf16(_ text: String) -> [UInt8] { [UInt8](utf16LittleEndian: text) }

/// The inputs of the MS-NLMP §4.2.1 examples (used again by §4.2.4).
enum SpecExample {
    static let user = "User"
    static let domain = "Domain"
    static let password = "Password"
    static let serverChallenge = hex("0123456789abcdef")
    static let clientChallenge = [UInt8](repeating: 0xAA, count: 8)
    static let randomSessionKey = [UInt8](repeating: 0x55, count: 16)
    static let time = [UInt8](repeating: 0, count: 8)

    /// MS-NLMP §4.2.4.3: the CHALLENGE_MESSAGE of the NTLMv2 example (TargetName "Server", AV pairs
    /// MsvAvNbDomainName "Domain" and MsvAvNbComputerName "Server", Version 6.0.6000).
    static let challengeMessage = hex(
        """
        4e544c4d53535000 02000000 0c000c00 38000000 33828ae2 0123456789abcdef 0000000000000000
        24002400 44000000 060070170000000f 530065007200760065007200
        02000c0044006f006d00610069006e00 01000c00530065007200760065007200 00000000
        """)

    /// MS-NLMP §4.2.4.1.3: the AV pairs of the example's ServerName (with MsvAvEOL).
    static let serverName = hex(
        "02000c0044006f006d00610069006e00 01000c00530065007200760065007200 00000000")

    static var credential: NTLMCredential {
        get throws { try NTLMCredential(user: user, password: password, domain: domain) }
    }

    /// 1601-01-01, FILETIME zero.
    static let fileTimeZero = Date(timeIntervalSince1970: -11_644_473_600)
}

/// The fields of an AUTHENTICATE_MESSAGE the tests inspect (MS-NLMP 2.2.1.3).
struct AuthenticateFields {
    var lmResponse: [UInt8]
    var ntResponse: [UInt8]
    var domain: [UInt8]
    var user: [UInt8]
    var workstation: [UInt8]
    var encryptedSessionKey: [UInt8]
    var flags: UInt32
    var version: [UInt8]
    var mic: [UInt8]

    init(_ message: [UInt8]) throws {
        var reader = NTLMByteReader(message, what: "AUTHENTICATE_MESSAGE")
        guard try reader.read(8) == Array("NTLMSSP\0".utf8), try reader.readUInt32() == 3 else {
            throw NTLMError.notNTLMMessage
        }
        var fields: [[UInt8]] = []
        for name in ["Lm", "Nt", "Domain", "User", "Workstation", "Key"] {
            fields.append(try reader.readPayloadField(name, payloadStart: 88))
        }
        (lmResponse, ntResponse, domain, user, workstation, encryptedSessionKey) =
            (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5])
        flags = try reader.readUInt32()
        version = try reader.read(8)
        mic = try reader.read(16)
    }

    /// The AV pairs echoed in the NTLMv2_CLIENT_CHALLENGE (after NTProofStr and the 28-byte fixed part).
    var targetInfo: NTLMTargetInfo {
        get throws { try NTLMTargetInfo(parsing: Array(ntResponse.dropFirst(16 + 28))) }
    }
}
