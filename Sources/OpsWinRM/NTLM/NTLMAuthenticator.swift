import Foundation

/// Drives one NTLMv2 authentication for the HTTP layer, with raw NTLM messages or NTLM wrapped in SPNEGO, and
/// yields the `NTLMSession` that seals the messages of that TCP connection.
///
///     var auth = NTLMAuthenticator(credential: cred, mechanism: .negotiate, targetHost: "win1.example")
///     let scheme = try HTTPAuthenticationHeader.scheme(for: .negotiate, in: first401WWWAuthenticateValues)
///     send(auth.firstToken())                             // 401 → WWW-Authenticate: Negotiate <challenge>
///     send(try auth.respond(to: challengeToken))          // 200 → WWW-Authenticate: Negotiate <final> (SPNEGO)
///     var session = try auth.complete(finalToken: final)  // verifies the server's mechListMIC
public struct NTLMAuthenticator: Sendable {
    /// How the NTLM messages travel. Which HTTP scheme carries them is `HTTPAuthenticationHeader.scheme(for:in:)`.
    public enum Mechanism: Sendable, Equatable {
        /// Raw NTLM messages, as pywinrm (requests-ntlm) sends them: under `NTLM` where the server offers it,
        /// else under `Negotiate` (Windows WinRM offers only Negotiate and accepts raw NTLM in it).
        case ntlm
        /// NTLM inside SPNEGO (RFC 4178) under `Negotiate`, as pypsrp and the Windows client send it.
        case negotiate
    }

    private enum State: Sendable {
        case initial
        case negotiateSent(negotiate: [UInt8])
        case authenticateSent(session: NTLMSession)
        case finished
    }

    public let credential: NTLMCredential
    public let mechanism: Mechanism
    /// The SPN sent as MsvAvTargetName: `HTTP/<host>`, as the Windows WinRM client and pywinrm send it.
    public let targetName: String
    public let channelBindings: ChannelBindings?
    private let workstation: String
    private let randomBytes: @Sendable (Int) -> [UInt8]
    private let now: @Sendable () -> Date
    private var state = State.initial

    /// - Parameters:
    ///   - channelBindings: `ChannelBindings.tlsServerEndPoint(certificateDER:)` over HTTPS; nil over HTTP.
    ///   - workstation: the client's name as Windows logs it (empty: not sent).
    ///   - randomBytes, now: the client challenge and session key source and the clock (tests pin them).
    public init(
        credential: NTLMCredential, mechanism: Mechanism, targetHost: String, channelBindings: ChannelBindings? = nil,
        service: String = "HTTP", workstation: String = "",
        randomBytes: @escaping @Sendable (Int) -> [UInt8] = NTLMAuthenticator.systemRandomBytes,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.credential = credential
        self.mechanism = mechanism
        self.targetName = "\(service)/\(targetHost)"
        self.channelBindings = channelBindings
        self.workstation = workstation
        self.randomBytes = randomBytes
        self.now = now
    }

    /// Bytes from the system's cryptographically secure generator.
    public static let systemRandomBytes: @Sendable (Int) -> [UInt8] = { count in
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The first token: the NEGOTIATE_MESSAGE, in a NegTokenInit for `.negotiate`.
    public mutating func firstToken() -> [UInt8] {
        let negotiate = NTLMNegotiateMessage.encoded
        state = .negotiateSent(negotiate: negotiate)
        return mechanism == .ntlm ? negotiate : SPNEGO.negTokenInit(mechToken: negotiate)
    }

    /// The answer to the server's challenge token: the AUTHENTICATE_MESSAGE, for `.negotiate` in a NegTokenResp with
    /// the mechListMIC.
    public mutating func respond(to serverToken: [UInt8]) throws(NTLMError) -> [UInt8] {
        guard case .negotiateSent(let negotiate) = state else {
            throw .invalidState("respond(to:) must follow firstToken() and come once")
        }
        state = .finished  // a failure below ends this authentication
        let challengeBytes: [UInt8]
        if mechanism == .negotiate {
            let response = try SPNEGO.NegTokenResp(parsing: serverToken)
            switch response.negState {
            case .reject: throw .spnegoRejected
            case .acceptIncomplete, .requestMIC: break
            case .acceptCompleted, nil:
                throw .malformedSPNEGO("the first reply must have negState accept-incomplete or request-mic")
            }
            guard let mech = response.supportedMech else {
                throw .malformedSPNEGO("the first reply has no supportedMech")
            }
            guard mech == SPNEGO.ntlmOID else { throw .unexpectedMechanism(DER.dottedOID(mech)) }
            guard let token = response.responseToken else {
                throw .malformedSPNEGO("the first reply carries no NTLM CHALLENGE_MESSAGE")
            }
            challengeBytes = token
        } else {
            challengeBytes = serverToken
        }

        let challenge = try NTLMChallengeMessage(parsing: challengeBytes)
        let inputs = NTLMAuthenticateMessage.Inputs(
            clientChallenge: try drawRandomBytes(8), exportedSessionKey: try drawRandomBytes(16), now: now())
        let authenticate = try NTLMAuthenticateMessage.build(
            negotiate: negotiate, challenge: challenge, credential: credential, targetName: targetName,
            workstation: workstation, channelBindingsHash: channelBindings?.md5Hash, inputs: inputs)
        var session = try NTLMSession(exportedSessionKey: authenticate.exportedSessionKey, flags: authenticate.flags)

        guard mechanism == .negotiate else {
            state = .authenticateSent(session: session)
            return authenticate.bytes
        }
        // The mechListMIC protects the mechanism list from downgrade (RFC 4178 §5); the RC4 handle restarts after it.
        let mechListMIC = session.sign(SPNEGO.mechTypeList)
        try session.resetOutboundCipher()
        state = .authenticateSent(session: session)
        return SPNEGO.NegTokenResp(
            negState: .acceptIncomplete, responseToken: authenticate.bytes, mechListMIC: mechListMIC
        ).encoded
    }

    /// Ends the exchange once the server accepted the AUTHENTICATE_MESSAGE (HTTP 200) and returns the session.
    /// For `.negotiate` the server's final token (from the 200's `WWW-Authenticate`) is required and its mechListMIC
    /// verified; for `.ntlm` there is none.
    public mutating func complete(finalToken: [UInt8]?) throws(NTLMError) -> NTLMSession {
        guard case .authenticateSent(var session) = state else {
            throw .invalidState("complete(finalToken:) must follow respond(to:) and come once")
        }
        state = .finished
        guard mechanism == .negotiate else {
            if let finalToken, !finalToken.isEmpty {
                throw .unexpectedFinalToken("raw NTLM has no final token, the server sent \(finalToken.count) bytes")
            }
            return session
        }
        guard let finalToken, !finalToken.isEmpty else {
            throw .unexpectedFinalToken("the server's final SPNEGO token is missing")
        }
        let response = try SPNEGO.NegTokenResp(parsing: finalToken)
        switch response.negState {
        case .acceptCompleted: break
        case .reject: throw .spnegoRejected
        case .acceptIncomplete, .requestMIC, nil:
            throw .malformedSPNEGO("the final reply must have negState accept-completed")
        }
        if let mech = response.supportedMech, mech != SPNEGO.ntlmOID { throw .unexpectedMechanism(DER.dottedOID(mech)) }
        if let token = response.responseToken, !token.isEmpty {
            throw .malformedSPNEGO("the final reply carries an unexpected mechanism token")
        }
        guard let mechListMIC = response.mechListMIC else { throw .missingMechListMIC }
        try session.verifySignature(mechListMIC, for: SPNEGO.mechTypeList)
        try session.resetInboundCipher()
        return session
    }

    private func drawRandomBytes(_ count: Int) throws(NTLMError) -> [UInt8] {
        let bytes = randomBytes(count)
        guard bytes.count == count else { throw .invalidState("the random source returned \(bytes.count) bytes") }
        return bytes
    }
}
