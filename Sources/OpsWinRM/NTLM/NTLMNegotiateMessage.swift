/// The NEGOTIATE_MESSAGE (MS-NLMP 2.2.1.1) this client opens with.
enum NTLMNegotiateMessage {
    /// `NTLMSSP\0`, the first 8 bytes of every NTLM message.
    static let signature: [UInt8] = Array("NTLMSSP".utf8) + [0]

    /// The VERSION structure (MS-NLMP 2.2.2.10) sent under NTLMSSP_NEGOTIATE_VERSION. Debugging data only:
    /// Windows 10.0, build 0, NTLMSSP_REVISION_W2K3 (0x0F).
    static let version: [UInt8] = [10, 0, 0, 0, 0, 0, 0, 0x0F]

    /// Signature, MessageType 1, the requested flags, empty DomainName and Workstation fields pointing at the end
    /// of the message, and the Version: 40 bytes.
    static var encoded: [UInt8] {
        var bytes = signature
        bytes.appendLittleEndian(UInt32(1))
        bytes.appendLittleEndian(NTLMNegotiateFlags.requested.rawValue)
        for _ in 0..<2 {  // DomainNameFields, WorkstationFields: Len 0, MaxLen 0, offset 40
            bytes.appendLittleEndian(UInt16(0))
            bytes.appendLittleEndian(UInt16(0))
            bytes.appendLittleEndian(UInt32(40))
        }
        bytes += version
        return bytes
    }
}
