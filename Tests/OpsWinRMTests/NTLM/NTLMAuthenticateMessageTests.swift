import Testing

@testable import OpsWinRM

@Suite("AUTHENTICATE_MESSAGE (MS-NLMP 2.2.1.3, 3.1.5.1.2)")
struct NTLMAuthenticateMessageTests {
    private let specInputs = NTLMAuthenticateMessage.Inputs(
        clientChallenge: SpecExample.clientChallenge, exportedSessionKey: SpecExample.randomSessionKey,
        now: SpecExample.fileTimeZero)

    private func build(
        challenge: [UInt8] = SpecExample.challengeMessage, channelBindingsHash: [UInt8]? = nil
    ) throws -> NTLMAuthenticateMessage.Result {
        try NTLMAuthenticateMessage.build(
            negotiate: NTLMNegotiateMessage.encoded, challenge: try NTLMChallengeMessage(parsing: challenge),
            credential: try SpecExample.credential, targetName: "HTTP/server.example", workstation: "COMPUTER",
            channelBindingsHash: channelBindingsHash, inputs: specInputs)
    }

    /// The §4.2.4.3 CHALLENGE with `extra` AV pairs put in front of its TargetInfo.
    private func challenge(addingTargetInfo extra: [UInt8]) -> [UInt8] {
        var message = SpecExample.challengeMessage
        let infoLength = SpecExample.serverName.count + extra.count
        message.replaceSubrange(40..<42, with: [UInt8(infoLength & 0xFF), UInt8(infoLength >> 8)])
        message.replaceSubrange(42..<44, with: [UInt8(infoLength & 0xFF), UInt8(infoLength >> 8)])
        message.insert(contentsOf: extra, at: 0x44)
        return message
    }

    @Test func negotiateMessageRequestsTheWinRMFlags() {
        let negotiate = NTLMNegotiateMessage.encoded
        #expect(
            negotiate == hex("4e544c4d53535000 01000000 358288e2 0000000028000000 0000000028000000 0a0000000000000f"))
        #expect(NTLMNegotiateFlags.requested.rawValue == 0xE288_8235)
    }

    /// Against the §4.2.4.3 CHALLENGE (no MsvAvTimestamp): the client's time, the LMv2 response of §4.2.4.2.1, the
    /// names, the flags both sides support, and the AV pairs echoed with the MIC flag, empty bindings and the SPN.
    @Test func answersTheSpecChallenge() throws {
        let result = try build()
        let fields = try AuthenticateFields(result.bytes)
        #expect(fields.lmResponse == hex("86c35097ac9cec102554764a57cccc19 aaaaaaaaaaaaaaaa"))
        #expect(fields.domain == utf16("Domain"))
        #expect(fields.user == utf16("User"))
        #expect(fields.workstation == utf16("COMPUTER"))
        #expect(fields.flags == 0xE28A_8233 & 0xE288_8235)
        #expect(result.flags.rawValue == fields.flags)
        #expect(fields.version == NTLMNegotiateMessage.version)
        #expect(fields.encryptedSessionKey.count == 16)
        #expect(fields.encryptedSessionKey != SpecExample.randomSessionKey)
        // NTLMv2_CLIENT_CHALLENGE: RespType, HiRespType, Z(6), time, client challenge, Z(4), AV pairs, Z(4).
        let blob = Array(fields.ntResponse.dropFirst(16))
        #expect(Array(blob.prefix(28)) == hex("0101000000000000 0000000000000000 aaaaaaaaaaaaaaaa 00000000"))
        #expect(Array(blob.suffix(4)) == [0, 0, 0, 0])
        let info = try fields.targetInfo
        #expect(info.pairs.map(\.id) == [2, 1, 6, 10, 9])
        #expect(info.value(.flags) == hex("02000000"))
        #expect(info.value(.channelBindings) == [UInt8](repeating: 0, count: 16))
        #expect(info.value(.targetName) == utf16("HTTP/server.example"))
    }

    /// The MIC is HMAC_MD5(ExportedSessionKey, NEGOTIATE + CHALLENGE + AUTHENTICATE with a zero MIC).
    @Test func micCoversAllThreeMessages() throws {
        let result = try build()
        var zeroed = result.bytes
        zeroed.replaceSubrange(72..<88, with: [UInt8](repeating: 0, count: 16))
        let expected = NTLMHashing.hmacMD5(
            key: SpecExample.randomSessionKey, NTLMNegotiateMessage.encoded + SpecExample.challengeMessage + zeroed)
        #expect(try AuthenticateFields(result.bytes).mic == expected)
    }

    /// With MsvAvTimestamp the server's time is used and the LmChallengeResponse is Z(24) (MS-NLMP 3.1.5.1.2).
    @Test func serverTimestampReplacesTheClockAndZeroesLMv2() throws {
        let stamp = hex("0090d336b734c301")
        let result = try build(challenge: challenge(addingTargetInfo: hex("0700 0800") + stamp))
        let fields = try AuthenticateFields(result.bytes)
        #expect(fields.lmResponse == [UInt8](repeating: 0, count: 24))
        #expect(Array(fields.ntResponse[24..<32]) == stamp)
        #expect(try fields.targetInfo.timestamp == stamp)
    }

    /// Existing MsvAvFlags are kept with the MIC bit added; existing bindings and target names are replaced once.
    @Test func avPairsTheServerSentAreUpdatedNotDuplicated() throws {
        let extra = hex("0600 0400 01000000 0900 0200 5800 0a00 1000") + [UInt8](repeating: 0xEE, count: 16)
        let bindings = [UInt8](repeating: 0xCB, count: 16)
        let fields = try AuthenticateFields(
            try build(challenge: challenge(addingTargetInfo: extra), channelBindingsHash: bindings).bytes)
        let info = try fields.targetInfo
        #expect(info.pairs.map(\.id) == [6, 9, 10, 2, 1])
        #expect(info.value(.flags) == hex("03000000"))
        #expect(info.value(.targetName) == utf16("HTTP/server.example"))
        #expect(info.value(.channelBindings) == bindings)
    }

    /// A server that does not grant signing, sealing, extended session security, 128-bit keys or key exchange.
    @Test func refusesAChallengeWithoutTheRequiredFlags() throws {
        var message = SpecExample.challengeMessage
        message.replaceSubrange(20..<24, with: [0x01, 0x02, 0x00, 0x00])  // UNICODE | NTLM only
        #expect(
            throws: NTLMError.missingNegotiatedFlags(missing: [
                "NTLMSSP_NEGOTIATE_SIGN", "NTLMSSP_NEGOTIATE_SEAL", "NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY",
                "NTLMSSP_NEGOTIATE_128", "NTLMSSP_NEGOTIATE_KEY_EXCH",
            ])
        ) { try build(challenge: message) }
    }

    /// AV pairs that no longer fit the 16-bit NtChallengeResponse length once echoed with the client's additions.
    @Test func refusesTargetInfoTooLongToEcho() throws {
        let huge = hex("3412") + [0x78, 0xFF] + [UInt8](repeating: 0x41, count: 65_400)
        #expect(throws: NTLMError.malformedTargetInfo("too long to echo in the NTLMv2 response")) {
            try build(challenge: challenge(addingTargetInfo: huge))
        }
    }

    @Test func refusesAUserNameLongerThanAField() throws {
        let credential = try NTLMCredential(user: String(repeating: "u", count: 40_000), password: "p")
        #expect(throws: NTLMError.invalidCredential("UserName is longer than an NTLM field can hold")) {
            try NTLMAuthenticateMessage.build(
                negotiate: NTLMNegotiateMessage.encoded,
                challenge: try NTLMChallengeMessage(parsing: SpecExample.challengeMessage), credential: credential,
                targetName: "HTTP/h", workstation: "", channelBindingsHash: nil, inputs: specInputs)
        }
    }
}
