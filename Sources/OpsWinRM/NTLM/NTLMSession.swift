/// NTLM session security for the client end of an established context (MS-NLMP 3.4): sealing, signing and
/// verifying with extended session security, 128-bit keys and key exchange.
///
/// Each direction has its own signing key, RC4 handle and sequence number. Every message from the server is
/// checked: a bad checksum is `NTLMError.signatureMismatch`, a valid checksum for another sequence number (a replayed,
/// dropped or reordered message) is `NTLMError.sequenceNumberMismatch`. A message that fails leaves the session as it
/// was. The state belongs to one TCP connection: never share a session between connections.
public struct NTLMSession: Sendable {
    /// The negotiated flags of the context.
    public let flags: NTLMNegotiateFlags
    private let exportedSessionKey: [UInt8]
    private let outboundSigningKey: [UInt8]
    private let inboundSigningKey: [UInt8]
    private var outboundCipher: RC4
    private var inboundCipher: RC4
    /// The next sequence number this client signs with.
    public private(set) var outboundSequenceNumber: UInt32 = 0
    /// The sequence number the next message from the server must carry.
    public private(set) var inboundSequenceNumber: UInt32 = 0

    /// Which end of the context this session is: the client in production; the server role lets tests play the
    /// other end.
    enum Role { case client, server }
    private let role: Role

    /// Derives the four keys of MS-NLMP 3.4.5 from the ExportedSessionKey.
    init(exportedSessionKey: [UInt8], flags: NTLMNegotiateFlags, role: Role = .client) throws(NTLMError) {
        guard exportedSessionKey.count == 16 else {
            throw .invalidKeyLength(algorithm: "ExportedSessionKey", length: exportedSessionKey.count)
        }
        self.flags = flags
        self.exportedSessionKey = exportedSessionKey
        self.role = role
        let outbound = role == .client
        outboundSigningKey = NTLMv2.signingKey(exportedSessionKey, clientToServer: outbound)
        inboundSigningKey = NTLMv2.signingKey(exportedSessionKey, clientToServer: !outbound)
        outboundCipher = try RC4(key: NTLMv2.sealingKey(exportedSessionKey, clientToServer: outbound))
        inboundCipher = try RC4(key: NTLMv2.sealingKey(exportedSessionKey, clientToServer: !outbound))
    }

    /// SEAL (MS-NLMP 3.4.3): encrypts `message` and signs the plaintext; the 16-byte signature travels beside it.
    public mutating func seal(_ message: [UInt8]) -> (signature: [UInt8], sealed: [UInt8]) {
        let sealed = outboundCipher.process(message)
        return (sign(message), sealed)
    }

    /// Decrypts a sealed message from the server and verifies its signature and sequence number.
    public mutating func unseal(_ sealed: [UInt8], signature: [UInt8]) throws(NTLMError) -> [UInt8] {
        var candidate = self
        let message = candidate.inboundCipher.process(sealed)
        try candidate.verifySignature(signature, for: message)
        self = candidate
        return message
    }

    /// MAC (MS-NLMP 3.4.4.2, with key exchange): Version 1, RC4(HMAC_MD5(SigningKey, SeqNum + Message)[0..7]),
    /// SeqNum. Advances the outbound sequence number. Also the SPNEGO mechListMIC (GSS_GetMIC).
    public mutating func sign(_ message: [UInt8]) -> [UInt8] {
        let sequenceNumber = outboundSequenceNumber
        outboundSequenceNumber &+= 1
        let checksum = outboundCipher.process(Self.checksum(outboundSigningKey, sequenceNumber, message))
        var signature: [UInt8] = [1, 0, 0, 0] + checksum
        signature.appendLittleEndian(sequenceNumber)
        return signature
    }

    /// Verifies a signature from the server over `message` (GSS_VerifyMIC), expecting the next inbound sequence
    /// number. Leaves the session unchanged when it throws.
    public mutating func verifySignature(_ signature: [UInt8], for message: [UInt8]) throws(NTLMError) {
        guard signature.count == 16 else { throw .malformedSignature("\(signature.count) bytes, not 16") }
        guard signature[0..<4] == [1, 0, 0, 0] else { throw .malformedSignature("version is not 1") }
        var candidate = self
        let keyStream = candidate.inboundCipher.process([UInt8](repeating: 0, count: 8))
        let expected = inboundSequenceNumber
        let received =
            UInt32(signature[12]) | UInt32(signature[13]) << 8 | UInt32(signature[14]) << 16
            | UInt32(signature[15]) << 24
        func encryptedChecksum(_ sequenceNumber: UInt32) -> [UInt8] {
            zip(Self.checksum(inboundSigningKey, sequenceNumber, message), keyStream).map { $0 ^ $1 }
        }
        let checksum = Array(signature[4..<12])
        guard NTLMHashing.constantTimeEqual(checksum, encryptedChecksum(expected)), received == expected else {
            if received != expected, NTLMHashing.constantTimeEqual(checksum, encryptedChecksum(received)) {
                throw .sequenceNumberMismatch(expected: expected, received: received)
            }
            throw .signatureMismatch
        }
        candidate.inboundSequenceNumber &+= 1
        self = candidate
    }

    /// After the SPNEGO mechListMIC of each direction, that direction's RC4 handle restarts from its key while the
    /// sequence numbers go on, as Windows SSPI does and pyspnego (`_reset_ntlm_crypto_state`) reproduces.
    mutating func resetOutboundCipher() throws(NTLMError) {
        outboundCipher = try RC4(key: NTLMv2.sealingKey(exportedSessionKey, clientToServer: role == .client))
    }

    mutating func resetInboundCipher() throws(NTLMError) {
        inboundCipher = try RC4(key: NTLMv2.sealingKey(exportedSessionKey, clientToServer: role == .server))
    }

    private static func checksum(_ signingKey: [UInt8], _ sequenceNumber: UInt32, _ message: [UInt8]) -> [UInt8] {
        var input: [UInt8] = []
        input.reserveCapacity(4 + message.count)
        input.appendLittleEndian(sequenceNumber)
        input += message
        return Array(NTLMHashing.hmacMD5(key: signingKey, input).prefix(8))
    }
}
