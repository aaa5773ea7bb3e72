import Testing

@testable import OpsWinRM

/// The NTLMv2 examples of MS-NLMP §4.2.4 (inputs in §4.2.1).
@Suite("NTLMv2 computations (MS-NLMP 4.2.4)")
struct NTLMv2Tests {
    private func specResponse() throws -> NTLMv2.Response {
        NTLMv2.computeResponse(
            responseKey: NTLMv2.responseKey(try SpecExample.credential),
            serverChallenge: SpecExample.serverChallenge, clientChallenge: SpecExample.clientChallenge,
            time: SpecExample.time, serverName: SpecExample.serverName)
    }

    /// §4.2.4.1.1 NTOWFv2() and LMOWFv2().
    @Test func responseKey() throws {
        #expect(NTLMv2.responseKey(try SpecExample.credential) == hex("0c868a403bfd7a93a3001ef22ef02e3f"))
    }

    /// §4.2.4.1.3 temp, §4.2.4.2.2 NTLMv2 Response (NTProofStr).
    @Test func ntChallengeResponse() throws {
        let temp = hex(
            """
            0101000000000000 0000000000000000 aaaaaaaaaaaaaaaa 00000000
            02000c0044006f006d00610069006e00 01000c00530065007200760065007200 00000000 00000000
            """)
        let response = try specResponse()
        #expect(response.ntProofStr == hex("68cd0ab851e51c96aabc927bebef6a1c"))
        #expect(response.ntChallengeResponse == hex("68cd0ab851e51c96aabc927bebef6a1c") + temp)
    }

    /// §4.2.4.2.1 LMv2 Response.
    @Test func lmChallengeResponse() throws {
        #expect(try specResponse().lmChallengeResponse == hex("86c35097ac9cec102554764a57cccc19 aaaaaaaaaaaaaaaa"))
    }

    /// §4.2.4.1.2 Session Base Key (the KeyExchangeKey) and §4.2.4.2.3 Encrypted Session Key.
    @Test func sessionKeys() throws {
        let response = try specResponse()
        #expect(response.sessionBaseKey == hex("8de40ccadbc14a82f15cb0ad0de95ca3"))
        #expect(
            try RC4.oneShot(key: response.sessionBaseKey, SpecExample.randomSessionKey)
                == hex("c5dad2544fc9799094ce1ce90bc9d03e"))
    }

    /// §4.2.4.4: SEALKEY and SIGNKEY of the client-to-server direction.
    @Test func clientKeys() {
        #expect(
            NTLMv2.sealingKey(SpecExample.randomSessionKey, clientToServer: true)
                == hex("59f600973cc4960a25480a7c196e4c58"))
        #expect(
            NTLMv2.signingKey(SpecExample.randomSessionKey, clientToServer: true)
                == hex("4788dc861b4782f35d43fd98fe1a2d39"))
    }

    /// §4.2.4.4 GSS_WrapEx: "Plaintext" sealed with sequence number 0.
    @Test func sealsThePlaintextExample() throws {
        var session = try NTLMSession(
            exportedSessionKey: SpecExample.randomSessionKey, flags: NTLMNegotiateFlags.requested)
        let (signature, sealed) = session.seal(utf16("Plaintext"))
        #expect(sealed == hex("54e50165bf1936dc996020c1811b0f06fb5f"))
        #expect(signature == hex("01000000 7fb38ec5c55d4976 00000000"))
        #expect(session.outboundSequenceNumber == 1)
    }

    /// The client-chosen time: FILETIME of 1601-01-01 is zero, of the Unix epoch 116444736000000000.
    @Test func fileTimes() {
        #expect(NTLMv2.fileTime(SpecExample.fileTimeZero) == SpecExample.time)
        #expect(NTLMv2.fileTime(.init(timeIntervalSince1970: 0)) == hex("00803ed5deb19d01"))
    }

    /// A non-ASCII password and user: UTF-16LE, upper-cased user (MS-NLMP 3.3.2).
    @Test func nonASCIICredential() throws {
        let lower = try NTLMCredential(user: "jürgen", password: "pässwörd€", domain: "Dömäin")
        let upper = try NTLMCredential(user: "JÜRGEN", password: "pässwörd€", domain: "Dömäin")
        #expect(NTLMv2.responseKey(lower) == NTLMv2.responseKey(upper))
        #expect(
            NTLMv2.responseKey(lower)
                == NTLMHashing.hmacMD5(key: MD4.hash(utf16("pässwörd€")), utf16("JÜRGEN" + "Dömäin")))
    }
}
