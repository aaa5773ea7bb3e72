import Testing

@testable import OpsWinRM

@Suite("CHALLENGE_MESSAGE parsing (MS-NLMP 2.2.1.2)")
struct NTLMChallengeMessageTests {
    /// MS-NLMP §4.2.4.3.
    @Test func parsesTheSpecExample() throws {
        let challenge = try NTLMChallengeMessage(parsing: SpecExample.challengeMessage)
        #expect(challenge.flags.rawValue == 0xE28A_8233)
        #expect(challenge.serverChallenge == SpecExample.serverChallenge)
        #expect(challenge.targetName == utf16("Server"))
        #expect(challenge.targetInfo.pairs.map(\.id) == [2, 1])
        #expect(challenge.targetInfo.value(.nbDomainName) == utf16("Domain"))
        #expect(challenge.targetInfo.value(.nbComputerName) == utf16("Server"))
        #expect(challenge.targetInfo.timestamp == nil)
        #expect(challenge.targetInfo.encoded == SpecExample.serverName)
        #expect(challenge.raw == SpecExample.challengeMessage)
    }

    /// Every prefix of a valid message is refused with a typed error, never read past its end.
    @Test func everyTruncationIsATypedError() {
        for length in 0..<SpecExample.challengeMessage.count {
            #expect(throws: NTLMError.self) {
                try NTLMChallengeMessage(parsing: Array(SpecExample.challengeMessage.prefix(length)))
            }
        }
    }

    @Test func refusesAnotherSignature() {
        var message = SpecExample.challengeMessage
        message[0] = 0x4D
        #expect(throws: NTLMError.notNTLMMessage) { try NTLMChallengeMessage(parsing: message) }
    }

    @Test func refusesAnotherMessageType() {
        #expect(throws: NTLMError.unexpectedMessageType(expected: 2, got: 1)) {
            try NTLMChallengeMessage(parsing: NTLMNegotiateMessage.encoded)
        }
    }

    /// A field whose offset + length lies beyond the message, or whose offset points into the fixed header.
    @Test(arguments: [
        // TargetInfoFields (at byte 40): length 0x24 at offset 0xFFFFFFF0 (offset + length overflows 32 bits)
        (40, [0x24, 0x00, 0x24, 0x00, 0xF0, 0xFF, 0xFF, 0xFF] as [UInt8], "TargetInfo"),
        // TargetInfoFields: length 0xFFFF at the real offset
        (40, [0xFF, 0xFF, 0xFF, 0xFF, 0x44, 0x00, 0x00, 0x00], "TargetInfo"),
        // TargetNameFields (at byte 12): 12 bytes at offset 8, inside the header
        (12, [0x0C, 0x00, 0x0C, 0x00, 0x08, 0x00, 0x00, 0x00], "TargetName"),
    ])
    func refusesFieldsOutsideThePayload(at position: Int, field: [UInt8], name: String) {
        var message = SpecExample.challengeMessage
        message.replaceSubrange(position..<position + 8, with: field)
        let error = #expect(throws: NTLMError.self) { try NTLMChallengeMessage(parsing: message) }
        guard case .fieldOutOfBounds(let reported, _, _, let length) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(reported == name)
        #expect(length == message.count)
    }

    @Test func emptyTargetInfoIsAllowed() throws {
        var message = Array(SpecExample.challengeMessage.prefix(68))  // header, version, TargetName
        message.replaceSubrange(40..<48, with: [0, 0, 0, 0, 0x44, 0, 0, 0])
        #expect(try NTLMChallengeMessage(parsing: message).targetInfo.pairs.isEmpty)
    }
}

@Suite("TargetInfo AV_PAIRs (MS-NLMP 2.2.2.1)")
struct NTLMTargetInfoTests {
    @Test func parsesATimestampAndFlags() throws {
        let info = try NTLMTargetInfo(parsing: hex("0700 0800 0102030405060708 0600 0400 01000000 0000 0000"))
        #expect(info.timestamp == hex("0102030405060708"))
        #expect(info.value(.flags) == hex("01000000"))
    }

    @Test func unknownAvIDsAreKeptAndEchoed() throws {
        let bytes = hex("3412 0300 aabbcc 0000 0000")
        let info = try NTLMTargetInfo(parsing: bytes)
        #expect(info.pairs == [NTLMTargetInfo.Pair(id: 0x1234, value: hex("aabbcc"))])
        #expect(info.encoded == bytes)
    }

    @Test func bytesAfterTheEndMarkerAreIgnored() throws {
        #expect(try NTLMTargetInfo(parsing: hex("0100 0200 4100 0000 0000 ffffffff")).pairs.count == 1)
    }

    @Test(arguments: [
        ("0100 0200 4100", "no MsvAvEOL"),
        ("0100 0200 4100 00", "a partial pair header"),
        ("0100 ff00 4100 0000 0000", "a length beyond the buffer"),
        ("0000 0200 4100", "MsvAvEOL with a value"),
        ("0100 0200 4100 0100 0200 4200 0000 0000", "a duplicate AvId"),
        ("0700 0400 01020304 0000 0000", "a 4-byte timestamp"),
        ("0600 0800 0102030405060708 0000 0000", "8-byte flags"),
        ("", "nothing"),
    ])
    func refusesMalformedLists(bytes: String, case description: String) {
        let error = #expect(throws: NTLMError.self, "\(description)") { try NTLMTargetInfo(parsing: hex(bytes)) }
        guard case .malformedTargetInfo = error else {
            Issue.record("\(description): \(String(describing: error))")
            return
        }
    }
}
