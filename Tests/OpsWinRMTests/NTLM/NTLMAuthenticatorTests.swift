import Foundation
import Testing

@testable import OpsWinRM

/// The authenticator's state machine and its SPNEGO checks; the server end is played with the server role of
/// `NTLMSession` (pyspnego plays it for real in PyspnegoInteropTests).
@Suite("NTLM authenticator")
struct NTLMAuthenticatorTests {
    private func authenticator(_ mechanism: NTLMAuthenticator.Mechanism) throws -> NTLMAuthenticator {
        NTLMAuthenticator(
            credential: try SpecExample.credential, mechanism: mechanism, targetHost: "server.example",
            randomBytes: { [UInt8](repeating: 0x55, count: $0) }, now: { SpecExample.fileTimeZero })
    }

    private let challengeToken = SPNEGO.NegTokenResp(
        negState: .acceptIncomplete, supportedMech: SPNEGO.ntlmOID, responseToken: SpecExample.challengeMessage
    ).encoded

    /// The server's end after it accepted the client's AUTHENTICATE: verifies the client's mechListMIC and signs
    /// its own, as Windows does.
    private func serverFinalToken(clientToken: [UInt8], state: SPNEGO.NegState = .acceptCompleted) throws -> [UInt8] {
        let response = try SPNEGO.NegTokenResp(parsing: clientToken)
        var server = try NTLMSession(
            exportedSessionKey: [UInt8](repeating: 0x55, count: 16), flags: NTLMNegotiateFlags.requested, role: .server)
        try server.verifySignature(response.mechListMIC ?? [], for: SPNEGO.mechTypeList)
        return SPNEGO.NegTokenResp(negState: state, mechListMIC: server.sign(SPNEGO.mechTypeList)).encoded
    }

    @Test func rawNTLMExchange() throws {
        var auth = try authenticator(.ntlm)
        #expect(auth.firstToken() == NTLMNegotiateMessage.encoded)
        let authenticate = try auth.respond(to: SpecExample.challengeMessage)
        let fields = try AuthenticateFields(authenticate)
        #expect(fields.user == utf16("User"))
        #expect(try fields.targetInfo.value(.targetName) == utf16("HTTP/server.example"))
        var session = try auth.complete(finalToken: nil)
        // The first sealed message uses sequence number 0 and the fresh key stream (§4.2.4.4).
        #expect(session.seal(utf16("Plaintext")).sealed == hex("54e50165bf1936dc996020c1811b0f06fb5f"))
    }

    @Test func spnegoExchangeVerifiesTheServersMechListMIC() throws {
        var auth = try authenticator(.negotiate)
        let initToken = auth.firstToken()
        #expect(initToken == SPNEGO.negTokenInit(mechToken: NTLMNegotiateMessage.encoded))
        let clientToken = try auth.respond(to: challengeToken)
        let response = try SPNEGO.NegTokenResp(parsing: clientToken)
        #expect(response.negState == .acceptIncomplete)
        #expect(try AuthenticateFields(response.responseToken ?? []).user == utf16("User"))
        var session = try auth.complete(finalToken: try serverFinalToken(clientToken: clientToken))
        // Both mechListMICs used sequence number 0; the RC4 handles restarted after them.
        #expect(session.outboundSequenceNumber == 1)
        #expect(session.inboundSequenceNumber == 1)
        let (signature, sealed) = session.seal(utf16("Plaintext"))
        #expect(sealed == hex("54e50165bf1936dc996020c1811b0f06fb5f"))
        #expect(Array(signature.suffix(4)) == [1, 0, 0, 0])
    }

    @Test func channelBindingsReachTheAVPairs() throws {
        let bindings = try ChannelBindings.tlsServerEndPoint(certificateDER: ReferenceVectors.certificate_rsaSHA256)
        var auth = NTLMAuthenticator(
            credential: try SpecExample.credential, mechanism: .ntlm, targetHost: "server.example",
            channelBindings: bindings, service: "WSMAN")
        _ = auth.firstToken()
        let info = try AuthenticateFields(try auth.respond(to: SpecExample.challengeMessage)).targetInfo
        #expect(info.value(.channelBindings) == ReferenceVectors.channelBindingsMD5_rsaSHA256)
        #expect(info.value(.targetName) == utf16("WSMAN/server.example"))
    }

    @Test func refusesCallsOutOfOrder() throws {
        var auth = try authenticator(.ntlm)
        #expect(throws: NTLMError.invalidState("respond(to:) must follow firstToken() and come once")) {
            try auth.respond(to: SpecExample.challengeMessage)
        }
        #expect(throws: NTLMError.invalidState("complete(finalToken:) must follow respond(to:) and come once")) {
            try auth.complete(finalToken: nil)
        }
        _ = auth.firstToken()
        _ = try auth.respond(to: SpecExample.challengeMessage)
        #expect(throws: NTLMError.invalidState("respond(to:) must follow firstToken() and come once")) {
            try auth.respond(to: SpecExample.challengeMessage)
        }
        _ = try auth.complete(finalToken: nil)
        #expect(throws: NTLMError.invalidState("complete(finalToken:) must follow respond(to:) and come once")) {
            try auth.complete(finalToken: nil)
        }
    }

    /// After a refused challenge the authenticator cannot be reused half-way.
    @Test func aFailedRespondEndsTheExchange() throws {
        var auth = try authenticator(.ntlm)
        _ = auth.firstToken()
        #expect(throws: NTLMError.notNTLMMessage) { try auth.respond(to: Array("NTLMSSX\0\u{2}\0\0\0".utf8)) }
        #expect(throws: NTLMError.invalidState("respond(to:) must follow firstToken() and come once")) {
            try auth.respond(to: SpecExample.challengeMessage)
        }
    }

    @Test(arguments: [
        (SPNEGO.NegTokenResp(negState: .reject), NTLMError.spnegoRejected),
        (
            SPNEGO.NegTokenResp(negState: .acceptCompleted, supportedMech: SPNEGO.ntlmOID),
            .malformedSPNEGO("the first reply must have negState accept-incomplete or request-mic")
        ),
        (
            SPNEGO.NegTokenResp(negState: .acceptIncomplete, responseToken: SpecExample.challengeMessage),
            .malformedSPNEGO("the first reply has no supportedMech")
        ),
        (
            SPNEGO.NegTokenResp(
                negState: .acceptIncomplete, supportedMech: hex("2a864886f712010202"),
                responseToken: SpecExample.challengeMessage),
            .unexpectedMechanism("1.2.840.113554.1.2.2")
        ),
        (
            SPNEGO.NegTokenResp(negState: .acceptIncomplete, supportedMech: SPNEGO.ntlmOID),
            .malformedSPNEGO("the first reply carries no NTLM CHALLENGE_MESSAGE")
        ),
    ])
    func refusesUnusableFirstReplies(reply: SPNEGO.NegTokenResp, expected: NTLMError) throws {
        var auth = try authenticator(.negotiate)
        _ = auth.firstToken()
        #expect(throws: expected) { try auth.respond(to: reply.encoded) }
    }

    @Test func acceptsRequestMICInTheFirstReply() throws {
        var auth = try authenticator(.negotiate)
        _ = auth.firstToken()
        let reply = SPNEGO.NegTokenResp(
            negState: .requestMIC, supportedMech: SPNEGO.ntlmOID, responseToken: SpecExample.challengeMessage)
        #expect(try SPNEGO.NegTokenResp(parsing: try auth.respond(to: reply.encoded)).mechListMIC?.count == 16)
    }

    @Test func refusesUnusableFinalReplies() throws {
        func completed(_ final: (_ clientToken: [UInt8]) throws -> [UInt8]?) throws -> NTLMSession {
            var auth = try authenticator(.negotiate)
            _ = auth.firstToken()
            let clientToken = try auth.respond(to: challengeToken)
            return try auth.complete(finalToken: try final(clientToken))
        }
        #expect(throws: NTLMError.unexpectedFinalToken("the server's final SPNEGO token is missing")) {
            try completed { _ in nil }
        }
        #expect(throws: NTLMError.spnegoRejected) {
            try completed { _ in SPNEGO.NegTokenResp(negState: .reject).encoded }
        }
        #expect(throws: NTLMError.missingMechListMIC) {
            try completed { _ in SPNEGO.NegTokenResp(negState: .acceptCompleted).encoded }
        }
        #expect(throws: NTLMError.malformedSPNEGO("the final reply must have negState accept-completed")) {
            try completed { try serverFinalToken(clientToken: $0, state: .acceptIncomplete) }
        }
        #expect(throws: NTLMError.signatureMismatch) {
            try completed { clientToken in
                var final = try serverFinalToken(clientToken: clientToken)
                final[final.count - 9] ^= 0x01  // inside the checksum of the mechListMIC
                return final
            }
        }
        #expect(throws: NTLMError.malformedSPNEGO("the final reply carries an unexpected mechanism token")) {
            try completed { _ in
                SPNEGO.NegTokenResp(
                    negState: .acceptCompleted, responseToken: [1], mechListMIC: [UInt8](repeating: 0, count: 16)
                ).encoded
            }
        }
        #expect(throws: NTLMError.unexpectedMechanism("1.2.840.113554.1.2.2")) {
            try completed { _ in
                SPNEGO.NegTokenResp(negState: .acceptCompleted, supportedMech: hex("2a864886f712010202")).encoded
            }
        }
    }

    @Test func rawNTLMRefusesAFinalToken() throws {
        var auth = try authenticator(.ntlm)
        _ = auth.firstToken()
        _ = try auth.respond(to: SpecExample.challengeMessage)
        #expect(throws: NTLMError.unexpectedFinalToken("raw NTLM has no final token, the server sent 3 bytes")) {
            try auth.complete(finalToken: [1, 2, 3])
        }
    }

    @Test func refusesAShortRandomSource() throws {
        var auth = NTLMAuthenticator(
            credential: try SpecExample.credential, mechanism: .ntlm, targetHost: "h", randomBytes: { _ in [] })
        _ = auth.firstToken()
        #expect(throws: NTLMError.invalidState("the random source returned 0 bytes")) {
            try auth.respond(to: SpecExample.challengeMessage)
        }
    }

    @Test func systemRandomBytesAreFreshEachCall() {
        let first = NTLMAuthenticator.systemRandomBytes(16)
        #expect(first.count == 16)
        #expect(first != NTLMAuthenticator.systemRandomBytes(16))
    }
}
