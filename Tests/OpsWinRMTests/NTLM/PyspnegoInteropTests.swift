import Foundation
import Testing

@testable import OpsWinRM

/// The Swift client against pyspnego's acceptor (`spnego.server`, users from NTLM_USER_FILE), live: pyspnego checks
/// the NTLMv2 response, the MIC, the channel bindings and the mechListMIC, then both sides exchange sealed messages
/// and WinRM bodies (framed by pypsrp on the peer's side).
@Suite("Interoperability with pyspnego's NTLM acceptor", .serialized)
struct PyspnegoInteropTests {
    private static let users = ["Domain:User:Password", ":svc@corp.example:S3cr\u{e9}t-\u{1F511}"]

    /// Authenticates and returns the peer and the client session. The acceptor is pyspnego's `negotiate` one unless
    /// `acceptor` says otherwise: it takes raw NTLM as well as SPNEGO, as Windows' Negotiate does.
    private func authenticate(
        _ mechanism: NTLMAuthenticator.Mechanism, credential: NTLMCredential, acceptor: String = "negotiate",
        clientBindings: ChannelBindings? = nil, serverBindings: ChannelBindings? = nil
    ) throws -> (PyspnegoPeer, NTLMSession, principal: String?) {
        let peer = try PyspnegoPeer()
        try peer.start(protocol: acceptor, users: Self.users, channelBindings: serverBindings)
        var auth = NTLMAuthenticator(
            credential: credential, mechanism: mechanism, targetHost: "win.example", channelBindings: clientBindings)
        let challenge = try peer.step(auth.firstToken())
        #expect(!challenge.complete)
        let final = try peer.step(try auth.respond(to: challenge.token ?? []))
        #expect(final.complete)
        #expect((final.token == nil) == (mechanism == .ntlm))
        return (peer, try auth.complete(finalToken: final.token), final.principal)
    }

    @Test(
        arguments: [
            (NTLMAuthenticator.Mechanism.ntlm, "User", "Domain", "Password", "Domain\\User"),
            (.negotiate, "Domain\\User", nil, "Password", "Domain\\User"),
            (.ntlm, "svc@corp.example", nil, "S3cr\u{e9}t-\u{1F511}", "svc@corp.example"),
            (.negotiate, "svc@corp.example", nil, "S3cr\u{e9}t-\u{1F511}", "svc@corp.example"),
        ] as [(NTLMAuthenticator.Mechanism, String, String?, String, String)])
    func authenticatesAndExchangesSealedMessages(
        mechanism: NTLMAuthenticator.Mechanism, user: String, domain: String?, password: String, principal: String
    ) throws {
        let credential = try NTLMCredential(user: user, password: password, domain: domain)
        var (peer, session, acceptedAs) = try authenticate(mechanism, credential: credential)
        #expect(acceptedAs == principal)
        for index in 0..<3 {
            let request = Array("<request \(index)/> caf\u{e9}".utf8)
            let (signature, sealed) = session.seal(request)
            #expect(try peer.unwrap(signature: signature, sealed: sealed) == request)
            let reply = Array("<reply \(index)/> \u{65e5}\u{672c}".utf8)
            let wrapped = try peer.wrap(reply)
            #expect(try session.unseal(wrapped.sealed, signature: wrapped.signature) == reply)
        }
        // WinRM bodies both ways, one larger than the default MaxEnvelopeSize.
        for size in [87, 160_000] {
            let soap = (0..<size).map { UInt8(0x41 + $0 % 26) }
            let request = session.encodeWinRMMessage(soap)
            #expect(try peer.unwrapBody(request.body) == soap)
            let response = try peer.wrapBody(soap)
            #expect(
                try session.decodeWinRMMessage(contentType: NTLMSession.winRMEncryptedContentType, body: response)
                    == soap)
        }
    }

    @Test(arguments: [NTLMAuthenticator.Mechanism.ntlm, .negotiate])
    func channelBindingsAreAccepted(mechanism: NTLMAuthenticator.Mechanism) throws {
        let bindings = try ChannelBindings.tlsServerEndPoint(certificateDER: ReferenceVectors.certificate_ecdsaSHA384)
        var (peer, session, _) = try authenticate(
            mechanism, credential: try SpecExample.credential, clientBindings: bindings, serverBindings: bindings)
        let (signature, sealed) = session.seal(Array("bound".utf8))
        #expect(try peer.unwrap(signature: signature, sealed: sealed) == Array("bound".utf8))
    }

    /// The server expects the bindings of another certificate (a TLS-terminating relay): pyspnego refuses.
    @Test(arguments: [NTLMAuthenticator.Mechanism.ntlm, .negotiate])
    func mismatchedChannelBindingsAreRefused(mechanism: NTLMAuthenticator.Mechanism) throws {
        let client = try ChannelBindings.tlsServerEndPoint(certificateDER: ReferenceVectors.certificate_ecdsaSHA384)
        let server = try ChannelBindings.tlsServerEndPoint(certificateDER: ReferenceVectors.certificate_rsaSHA256)
        let error = #expect(throws: PyspnegoPeer.Failure.self) {
            try authenticate(
                mechanism, credential: try SpecExample.credential, clientBindings: client, serverBindings: server)
        }
        #expect(error?.description.contains("BadBindingsError") == true)
    }

    @Test(arguments: [NTLMAuthenticator.Mechanism.ntlm, .negotiate])
    func wrongPasswordIsRefused(mechanism: NTLMAuthenticator.Mechanism) throws {
        let credential = try NTLMCredential(user: "User", password: "password", domain: "Domain")
        let error = #expect(throws: PyspnegoPeer.Failure.self) { try authenticate(mechanism, credential: credential) }
        #expect(error?.description.contains("Invalid NTLM response") == true)
    }

    /// A server message altered in transit is refused by the client and the next genuine one still opens.
    @Test func tamperedServerMessageIsRefused() throws {
        var (peer, session, _) = try authenticate(.negotiate, credential: try SpecExample.credential)
        var wrapped = try peer.wrap(Array("genuine".utf8))
        wrapped.sealed[0] ^= 0x20
        #expect(throws: NTLMError.signatureMismatch) {
            try session.unseal(wrapped.sealed, signature: wrapped.signature)
        }
        // The peer's stream moved on by one message, the client's did not: the next one is refused too (a lost
        // message cannot be skipped over).
        let next = try peer.wrap(Array("next".utf8))
        #expect(throws: NTLMError.signatureMismatch) { try session.unseal(next.sealed, signature: next.signature) }
    }
}
