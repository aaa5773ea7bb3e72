import Foundation

/// Builds the AUTHENTICATE_MESSAGE (MS-NLMP 2.2.1.3) with an NTLMv2 response, key exchange and a MIC.
struct NTLMAuthenticateMessage {
    /// The inputs a test pins and production draws at random or from the clock.
    struct Inputs {
        var clientChallenge: [UInt8]
        var exportedSessionKey: [UInt8]
        /// Used only when the CHALLENGE carries no MsvAvTimestamp.
        var now: Date
    }

    /// What the exchange produced.
    struct Result {
        var bytes: [UInt8]
        var flags: NTLMNegotiateFlags
        var exportedSessionKey: [UInt8]
    }

    /// Signature, MessageType, six payload fields, NegotiateFlags (64 bytes), then Version (8) and MIC (16).
    static let micOffset = 72
    static let payloadStart = 88

    /// MS-NLMP 3.1.5.1.2: the client's answer to `challenge`.
    /// - `negotiate`: the NEGOTIATE_MESSAGE sent, which the MIC covers.
    /// - `targetName`: the SPN for MsvAvTargetName (`HTTP/host`, as the Windows WinRM client and pywinrm send it).
    /// - `channelBindingsHash`: MD5 of the gss_channel_bindings_struct, or nil without TLS (16 zero bytes are sent:
    ///   "no bindings").
    static func build(
        negotiate: [UInt8], challenge: NTLMChallengeMessage, credential: NTLMCredential, targetName: String,
        workstation: String, channelBindingsHash: [UInt8]?, inputs: Inputs
    ) throws(NTLMError) -> Result {
        let missing = challenge.flags.missingRequired
        guard missing.isEmpty else { throw .missingNegotiatedFlags(missing: missing) }
        let flags = challenge.flags.intersection(NTLMNegotiateFlags.requested)

        // The server's AV pairs, echoed, with MsvAvFlags announcing the MIC, the channel bindings and the SPN.
        var targetInfo = challenge.targetInfo
        let serverTimestamp = targetInfo.timestamp
        var avFlags = NTLMTargetInfo.micPresent
        if let existing = targetInfo.value(.flags) {
            avFlags |=
                UInt32(existing[0]) | UInt32(existing[1]) << 8 | UInt32(existing[2]) << 16
                | UInt32(existing[3]) << 24
        }
        var avFlagBytes: [UInt8] = []
        avFlagBytes.appendLittleEndian(avFlags)
        targetInfo.set(.flags, avFlagBytes)
        targetInfo.set(.channelBindings, channelBindingsHash ?? [UInt8](repeating: 0, count: 16))
        targetInfo.set(.targetName, [UInt8](utf16LittleEndian: targetName))
        guard targetInfo.pairs.allSatisfy({ $0.value.count <= 0xFFFF }), targetInfo.encoded.count <= 0xFFFF - 48
        else { throw .malformedTargetInfo("too long to echo in the NTLMv2 response") }

        let response = NTLMv2.computeResponse(
            responseKey: NTLMv2.responseKey(credential), serverChallenge: challenge.serverChallenge,
            clientChallenge: inputs.clientChallenge, time: serverTimestamp ?? NTLMv2.fileTime(inputs.now),
            serverName: targetInfo.encoded)
        // MS-NLMP 3.1.5.1.2: with MsvAvTimestamp present the client sends Z(24) as the LmChallengeResponse.
        let lmResponse = serverTimestamp == nil ? response.lmChallengeResponse : [UInt8](repeating: 0, count: 24)
        let encryptedKey = try RC4.oneShot(key: response.sessionBaseKey, inputs.exportedSessionKey)

        // Header fields and payload in the same order (MS-NLMP 2.2.1.3 lets the payload be in any order).
        let fields: [(name: String, value: [UInt8])] = [
            ("LmChallengeResponse", lmResponse), ("NtChallengeResponse", response.ntChallengeResponse),
            ("DomainName", [UInt8](utf16LittleEndian: credential.domain)),
            ("UserName", [UInt8](utf16LittleEndian: credential.user)),
            ("Workstation", [UInt8](utf16LittleEndian: workstation)), ("EncryptedRandomSessionKey", encryptedKey),
        ]
        var message = NTLMNegotiateMessage.signature
        message.appendLittleEndian(UInt32(3))
        var offset = payloadStart
        for field in fields {
            guard field.value.count <= 0xFFFF else {
                throw .invalidCredential("\(field.name) is longer than an NTLM field can hold")
            }
            message.appendLittleEndian(UInt16(field.value.count))
            message.appendLittleEndian(UInt16(field.value.count))
            message.appendLittleEndian(UInt32(offset))
            offset += field.value.count
        }
        message.appendLittleEndian(flags.rawValue)
        message += flags.contains(.version) ? NTLMNegotiateMessage.version : [UInt8](repeating: 0, count: 8)
        message += [UInt8](repeating: 0, count: 16)  // MIC, computed over the message with these zeros
        for field in fields { message += field.value }

        let mic = NTLMHashing.hmacMD5(key: inputs.exportedSessionKey, negotiate + challenge.raw + message)
        message.replaceSubrange(micOffset..<micOffset + 16, with: mic)
        return Result(bytes: message, flags: flags, exportedSessionKey: inputs.exportedSessionKey)
    }
}
