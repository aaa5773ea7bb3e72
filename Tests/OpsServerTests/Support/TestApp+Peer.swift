import Foundation
import NIOCore
import Vapor

@testable import OpsServer

/// A response to ``TestApp/send(from:_:_:session:form:headers:)``.
struct PeerTestResponse {
    var status: HTTPStatus
    var headers: HTTPHeaders
    var text: String

    /// The value a Set-Cookie header gives `name`, or nil.
    func cookie(_ name: String) -> String? {
        for header in headers[.setCookie] where header.hasPrefix(name + "=") {
            return String(header.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }
}

extension TestApp {
    /// Sends a form in memory as if from the socket peer `peer` (the in-memory tester sends no peer
    /// address), with the session's cookie and CSRF token when given.
    func send(
        from peer: String, _ method: HTTPMethod, _ path: String, session: BrowserSession? = nil,
        form: [String: String] = [:], headers extra: HTTPHeaders = [:]
    ) async throws -> PeerTestResponse {
        var headers = extra
        var fields = form
        if let session {
            headers.add(name: .cookie, value: "\(SessionStore.cookieName)=\(session.cookie)")
            fields[CSRFField.name] = session.csrf
        }
        var body = ByteBuffer()
        if !fields.isEmpty {
            headers.contentType = .urlEncodedForm
            body.writeString(Self.urlEncode(fields))
        }
        headers.replaceOrAdd(name: .contentLength, value: String(body.readableBytes))
        let request = Request(
            application: app, method: method, url: URI(string: path), headers: headers,
            collectedBody: body.readableBytes == 0 ? nil : body,
            remoteAddress: try SocketAddress(ipAddress: peer, port: 40000), logger: app.logger,
            on: app.eventLoopGroup.next())
        let response = try await app.responder.respond(to: request).get()
        let collected = try await response.body.collect(on: request.eventLoop).get() ?? ByteBuffer()
        return PeerTestResponse(
            status: response.status, headers: response.headers, text: String(buffer: collected))
    }
}
