import Testing

@testable import OpsWinRM

/// SPNEGO (RFC 4178) tokens against pyspnego's packing of the same values (ReferenceVectors).
@Suite("SPNEGO tokens (RFC 4178)")
struct SPNEGOTests {
    @Test func negTokenInitMatchesPyspnego() {
        #expect(SPNEGO.negTokenInit(mechToken: NTLMNegotiateMessage.encoded) == ReferenceVectors.negTokenInit)
    }

    @Test func mechTypeListIsTheDERSequenceOfTheNTLMOID() {
        #expect(SPNEGO.mechTypeList == hex("300c 060a 2b06010401823702020a"))
        #expect(DER.dottedOID(SPNEGO.ntlmOID) == "1.3.6.1.4.1.311.2.2.10")
        #expect(DER.dottedOID(SPNEGO.spnegoOID) == "1.3.6.1.5.5.2")
    }

    @Test func parsesPyspnegoResponses() throws {
        let challenge = try SPNEGO.NegTokenResp(parsing: ReferenceVectors.negTokenRespChallenge)
        #expect(challenge.negState == .acceptIncomplete)
        #expect(challenge.supportedMech == SPNEGO.ntlmOID)
        #expect(challenge.responseToken == Array("NTLMSSP\0".utf8) + [2])
        #expect(challenge.mechListMIC == nil)

        let final = try SPNEGO.NegTokenResp(parsing: ReferenceVectors.negTokenRespFinal)
        #expect(final.negState == .acceptCompleted)
        #expect(final.mechListMIC == [1] + [UInt8](repeating: 0, count: 15))
        #expect(final.responseToken == nil)

        let long = try SPNEGO.NegTokenResp(parsing: ReferenceVectors.negTokenRespLong)
        #expect(long.responseToken == Array(0...255) + Array(0...255))
    }

    /// Our encoding is pyspnego's for the same fields (multi-byte lengths included).
    @Test func encodingMatchesPyspnego() {
        let long = SPNEGO.NegTokenResp(negState: .acceptIncomplete, responseToken: Array(0...255) + Array(0...255))
        #expect(long.encoded == ReferenceVectors.negTokenRespLong)
        let final = SPNEGO.NegTokenResp(negState: .acceptCompleted, mechListMIC: [1] + [UInt8](repeating: 0, count: 15))
        #expect(final.encoded == ReferenceVectors.negTokenRespFinal)
    }

    @Test func everyTruncationIsATypedError() {
        let token = ReferenceVectors.negTokenRespChallenge
        for length in 0..<token.count {
            #expect(throws: NTLMError.self) { try SPNEGO.NegTokenResp(parsing: Array(token.prefix(length))) }
        }
    }

    @Test(arguments: [
        ("a1053003a0030a0101ff", "trailing byte after the token"),
        ("a180", "indefinite length"),
        ("a185ffffffffff", "a five-byte length"),
        ("a1843fffffff3000", "a length beyond the data"),
        ("a2023000", "NegotiationToken CHOICE [2]"),
        ("604806062b0601050502", "a NegTokenInit"),
        ("a1083006a0030a0109", "negState beyond request-mic"),
        ("a10a3008a0040a020001", "a two-byte negState"),
        ("a10a3008a2020400a0020a00", "fields out of order"),
        ("a10a3008a2020400a2020400", "a duplicated field"),
        ("a1063004a4020400", "an unknown field [4]"),
        ("a1073005a003040101", "negState that is not ENUMERATED"),
        ("a1083006a10406022b06ff", "a field with trailing bytes inside"),
        ("a1023100", "a SET instead of a SEQUENCE"),
        ("bf1f00", "a multi-byte tag"),
    ])
    func refusesMalformedTokens(token: String, case description: String) {
        #expect(throws: NTLMError.self, "\(description)") { try SPNEGO.NegTokenResp(parsing: hex(token)) }
    }

    @Test func dottedOIDOfMalformedContentIsHex() {
        #expect(DER.dottedOID([0x2B, 0x86]) == "0x2b86")
    }
}
