/// NTLM negotiate flags (MS-NLMP 2.2.2.5).
public struct NTLMNegotiateFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let unicode = Self(rawValue: 0x0000_0001)
    public static let oem = Self(rawValue: 0x0000_0002)
    public static let requestTarget = Self(rawValue: 0x0000_0004)
    public static let sign = Self(rawValue: 0x0000_0010)
    public static let seal = Self(rawValue: 0x0000_0020)
    public static let lmKey = Self(rawValue: 0x0000_0080)
    public static let ntlm = Self(rawValue: 0x0000_0200)
    public static let alwaysSign = Self(rawValue: 0x0000_8000)
    public static let targetTypeDomain = Self(rawValue: 0x0001_0000)
    public static let targetTypeServer = Self(rawValue: 0x0002_0000)
    public static let extendedSessionSecurity = Self(rawValue: 0x0008_0000)
    public static let targetInfo = Self(rawValue: 0x0080_0000)
    public static let version = Self(rawValue: 0x0200_0000)
    public static let key128 = Self(rawValue: 0x2000_0000)
    public static let keyExchange = Self(rawValue: 0x4000_0000)
    public static let key56 = Self(rawValue: 0x8000_0000)

    /// What this client asks for in its NEGOTIATE_MESSAGE: Unicode, NTLMv2 with extended session security,
    /// signing and sealing with 128-bit keys and a client-chosen session key, target information and version.
    public static let requested: Self = [
        .unicode, .requestTarget, .sign, .seal, .ntlm, .alwaysSign, .extendedSessionSecurity, .targetInfo,
        .version, .key128, .keyExchange, .key56,
    ]

    /// What the server must grant: this client implements only the NTLMv2 session security of MS-NLMP 3.4 with
    /// extended session security, 128-bit keys and key exchange (what every Windows release since 2000 grants).
    static let required: [(flag: Self, name: String)] = [
        (.unicode, "NTLMSSP_NEGOTIATE_UNICODE"), (.ntlm, "NTLMSSP_NEGOTIATE_NTLM"),
        (.sign, "NTLMSSP_NEGOTIATE_SIGN"), (.seal, "NTLMSSP_NEGOTIATE_SEAL"),
        (.extendedSessionSecurity, "NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY"),
        (.key128, "NTLMSSP_NEGOTIATE_128"), (.keyExchange, "NTLMSSP_NEGOTIATE_KEY_EXCH"),
    ]

    /// The names of the required flags missing from `self`.
    var missingRequired: [String] { Self.required.filter { !contains($0.flag) }.map(\.name) }
}
