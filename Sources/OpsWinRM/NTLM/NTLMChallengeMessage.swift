/// A parsed CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2), the server's answer to the NEGOTIATE_MESSAGE.
public struct NTLMChallengeMessage: Sendable, Equatable {
    /// The message exactly as received: the MIC covers these bytes.
    public let raw: [UInt8]
    public let flags: NTLMNegotiateFlags
    /// The 8-byte nonce the NTLMv2 response proves knowledge of the password against.
    public let serverChallenge: [UInt8]
    /// TargetName, raw (UTF-16LE under NTLMSSP_NEGOTIATE_UNICODE); informational only.
    public let targetName: [UInt8]
    public let targetInfo: NTLMTargetInfo

    /// The fixed header before the payload: Signature, MessageType, TargetNameFields, NegotiateFlags,
    /// ServerChallenge, Reserved, TargetInfoFields (the optional Version follows).
    static let headerLength = 48

    /// Parses and validates a CHALLENGE_MESSAGE; every length and offset is checked against the message.
    public init(parsing bytes: [UInt8]) throws(NTLMError) {
        var reader = NTLMByteReader(bytes, what: "CHALLENGE_MESSAGE")
        guard try reader.read(8) == NTLMNegotiateMessage.signature else { throw .notNTLMMessage }
        let type = try reader.readUInt32()
        guard type == 2 else { throw .unexpectedMessageType(expected: 2, got: type) }
        guard bytes.count >= Self.headerLength else {
            throw .truncated(what: "CHALLENGE_MESSAGE", needed: Self.headerLength, available: bytes.count)
        }
        let targetName = try reader.readPayloadField("TargetName", payloadStart: Self.headerLength)
        let flags = NTLMNegotiateFlags(rawValue: try reader.readUInt32())
        let serverChallenge = try reader.read(8)
        _ = try reader.read(8)  // Reserved
        let targetInfo = try reader.readPayloadField("TargetInfo", payloadStart: Self.headerLength)

        self.raw = bytes
        self.flags = flags
        self.serverChallenge = serverChallenge
        self.targetName = targetName
        self.targetInfo = targetInfo.isEmpty ? NTLMTargetInfo() : try NTLMTargetInfo(parsing: targetInfo)
    }
}
