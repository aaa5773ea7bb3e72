import Foundation
import Logging
import NIOHTTP1
import NIOSSL

/// The WS-Management exchanger over a real listener: one kept-alive connection, authenticated once (NTLM
/// and Negotiate authenticate the TCP connection, not the request), every SOAP body sealed with the NTLM
/// session over plain HTTP (the Windows default, `AllowUnencrypted=false`), plain over HTTPS (where NTLM is
/// bound to the server certificate), or Basic over HTTPS. A lost connection is opened and authenticated
/// again on the next exchange: shells outlive connections.
public actor WinRMChannel: WSManExchanger {
    public let target: WinRMTarget
    private let tlsContexts: WinRMTLSContexts
    private let logger: Logger
    private var connection: WinRMHTTPConnection?
    private var ntlm: NTLMSession?
    /// Stage durations of the last connection set-up (connect, tls, authentication).
    public private(set) var timings: [WinRMStage: Duration] = [:]
    /// The server certificate of the last HTTPS connection (DER).
    public private(set) var peerCertificate: [UInt8]?

    static let soapContentType = "application/soap+xml;charset=UTF-8"

    public init(target: WinRMTarget, tlsContexts: WinRMTLSContexts = .shared, logger: Logger) {
        self.target = target
        self.tlsContexts = tlsContexts
        self.logger = logger
    }

    /// Opens and authenticates the connection unless one is open; errors name their stage.
    public func ready() async throws {
        if let connection, connection.isActive { return }
        try await open()
    }

    public func exchange(_ envelope: [UInt8]) async throws -> WSManHTTPResponse {
        for attempt in 1...2 {
            try await ready()
            guard let connection else { continue }
            var headers = HTTPHeaders()
            var body = envelope
            if var session = ntlm, target.endpoint.scheme == .http {
                let sealed = session.encodeWinRMMessage(envelope)
                ntlm = session
                headers.add(name: "Content-Type", value: sealed.contentType)
                body = sealed.body
            } else {
                headers.add(name: "Content-Type", value: Self.soapContentType)
            }
            if target.endpoint.authentication == .basic {
                headers.add(name: "Authorization", value: basicAuthorization)
            }
            let response: WinRMHTTPResponse
            do {
                response = try await connection.post(headers: headers, body: body, timeout: exchangeTimeout)
            } catch let error as HTTPExchangeError where error == .closedByPeer && attempt == 1 {
                // A kept-alive connection the server closed while idle: the request never reached a listener.
                drop()
                continue
            } catch is CancellationError {
                drop()
                throw CancellationError()
            } catch {
                drop()
                if Task.isCancelled { throw CancellationError() }
                throw WinRMConnectionError(
                    stage: .exec, target: target.name, message: "the WinRM exchange failed: \(error)")
            }
            if response.status == 401 {
                // The server forgot this connection's authentication (or Basic was refused): once more, anew.
                drop()
                if attempt == 1 && target.endpoint.authentication != .basic { continue }
                throw WinRMConnectionError(
                    stage: .authentication, target: target.name,
                    message: "the server refused the credentials of \(target.credential.displayName) (HTTP 401)")
            }
            if !keepAlive(response) { drop() }
            return WSManHTTPResponse(status: response.status, body: try unseal(response))
        }
        throw WinRMConnectionError(stage: .connect, target: target.name, message: "the connection kept closing")
    }

    /// Closes the connection (the shell, if any, is the WinRS client's to delete first).
    public func close() async {
        let open = connection
        drop()
        await open?.close()
    }

    // MARK: - set-up

    private func open() async throws {
        drop()
        if let refusal = target.endpoint.refusal {
            throw WinRMConnectionError(stage: .authentication, target: target.name, message: refusal)
        }
        var tls: NIOSSLContext?
        if target.endpoint.scheme == .https {
            do {
                tls = try tlsContexts.context(for: target.endpoint.tlsVerification)
            } catch {
                throw WinRMConnectionError(stage: .tls, target: target.name, message: String(describing: error))
            }
        }
        let opened = try await WinRMHTTPConnection.connect(
            to: target.endpoint, name: target.name, tls: tls, timeout: target.connectTimeout)
        connection = opened
        peerCertificate = opened.peerCertificate
        timings = opened.timings
        let clock = ContinuousClock()
        let started = clock.now
        do {
            switch target.endpoint.authentication {
            case .basic: break  // sent with every request
            case .ntlm, .negotiate: ntlm = try await authenticateNTLM(on: opened)
            }
        } catch {
            drop()
            await opened.close()
            throw error
        }
        timings[.authentication] = clock.now - started
    }

    private func authenticateNTLM(on connection: WinRMHTTPConnection) async throws -> NTLMSession {
        func failure(_ message: String) -> WinRMConnectionError {
            WinRMConnectionError(stage: .authentication, target: target.name, message: message)
        }
        let credential: NTLMCredential
        do {
            credential = try NTLMCredential(
                user: target.credential.ntlmUser, password: target.credential.password,
                domain: target.credential.ntlmDomain)
        } catch {
            throw failure(String(describing: error))
        }
        var bindings: ChannelBindings?
        if target.endpoint.scheme == .https {
            guard let certificate = connection.peerCertificate else {
                throw failure("the server sent no certificate to bind the authentication to")
            }
            do {
                bindings = try ChannelBindings.tlsServerEndPoint(certificateDER: certificate)
            } catch {
                throw failure("cannot bind to the server certificate: \(error)")
            }
        }
        let mechanism: NTLMAuthenticator.Mechanism = target.endpoint.authentication == .negotiate ? .negotiate : .ntlm
        var authenticator = NTLMAuthenticator(
            credential: credential, mechanism: mechanism, targetHost: target.endpoint.host, channelBindings: bindings)
        // Windows offers only Negotiate and accepts raw NTLM inside it (requests-ntlm relies on that).
        let scheme = "Negotiate"
        let challenge = try await authPost(
            connection, HTTPAuthenticationHeader.authorization(scheme: scheme, token: authenticator.firstToken()))
        guard challenge.status == 401 else {
            throw failure("the server answered the NTLM negotiation with HTTP \(challenge.status), not a challenge")
        }
        let offered = challenge.headers[canonicalForm: "WWW-Authenticate"].map(String.init)
        guard let serverToken = try? HTTPAuthenticationHeader.token(scheme: scheme, in: offered) else {
            let schemes = (try? HTTPAuthenticationHeader.challenges(in: offered).map(\.scheme)) ?? []
            throw failure(
                "the server does not accept NTLM through Negotiate (it offers: "
                    + "\(schemes.isEmpty ? "nothing" : schemes.joined(separator: ", ")))")
        }
        let answer: [UInt8]
        do {
            answer = try authenticator.respond(to: serverToken)
        } catch {
            throw failure(String(describing: error))
        }
        let accepted = try await authPost(
            connection, HTTPAuthenticationHeader.authorization(scheme: scheme, token: answer))
        guard accepted.status != 401 else {
            throw failure(
                "the server refused the credentials of \(target.credential.displayName)"
                    + (bindings == nil ? "" : " (or the channel binding to its certificate)"))
        }
        guard (200..<300).contains(accepted.status) else {
            throw failure("the server answered the NTLM authentication with HTTP \(accepted.status)")
        }
        let final = try? HTTPAuthenticationHeader.token(
            scheme: scheme, in: accepted.headers[canonicalForm: "WWW-Authenticate"].map(String.init))
        do {
            return try authenticator.complete(finalToken: mechanism == .negotiate ? final : nil)
        } catch {
            throw failure(String(describing: error))
        }
    }

    private func authPost(_ connection: WinRMHTTPConnection, _ authorization: String) async throws -> WinRMHTTPResponse
    {
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: authorization)
        headers.add(name: "Content-Type", value: Self.soapContentType)
        do {
            return try await connection.post(headers: headers, body: [], timeout: target.connectTimeout)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw WinRMConnectionError(
                stage: .authentication, target: target.name, message: "the NTLM exchange failed: \(error)")
        }
    }

    // MARK: - messages

    private func unseal(_ response: WinRMHTTPResponse) throws -> [UInt8] {
        let contentType = response.headers.first(name: "Content-Type") ?? ""
        guard contentType.lowercased().hasPrefix("multipart/encrypted") else {
            if ntlm != nil, target.endpoint.scheme == .http, !response.body.isEmpty, response.status < 400 {
                // Sealed requests must get sealed answers: an unsealed SOAP answer could be anyone's.
                drop()
                throw WinRMConnectionError(
                    stage: .exec, target: target.name,
                    message: "the server answered an encrypted request in clear (Content-Type \(contentType))")
            }
            return response.body
        }
        guard var session = ntlm else {
            throw WinRMConnectionError(
                stage: .exec, target: target.name,
                message: "the server sent an encrypted answer on a session without NTLM")
        }
        do {
            let body = try session.decodeWinRMMessage(contentType: contentType, body: response.body)
            ntlm = session
            return body
        } catch {
            drop()
            throw WinRMConnectionError(
                stage: .exec, target: target.name, message: "cannot decrypt the server's answer: \(error)")
        }
    }

    private func keepAlive(_ response: WinRMHTTPResponse) -> Bool {
        !response.headers[canonicalForm: "Connection"].contains { $0.lowercased() == "close" }
    }

    private func drop() {
        if let connection { Task { await connection.close() } }
        connection = nil
        ntlm = nil
    }

    private var basicAuthorization: String {
        let credential = target.credential
        return "Basic " + Data("\(credential.login):\(credential.password)".utf8).base64EncodedString()
    }

    /// A Receive may hold the request for OperationTimeout before answering; leave room beyond it.
    private var exchangeTimeout: Duration { target.operationTimeout + .seconds(60) }
}
