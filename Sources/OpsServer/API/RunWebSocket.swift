import Foundation
import OpsCore
import Vapor

/// `GET /api/v1/runs/{id}/ws`: the run's events over WebSocket. OpenAPI cannot describe a
/// WebSocket, so this is a plain Vapor route; openapi.yaml documents it as `x-websocket` on the
/// events path and gives its role.
enum RunWebSocket {
    /// `GET /api/v1/runs/{id}/ws`: checks everything (run, resume point, origin) before switching
    /// protocols, so a bad request gets a 4xx problem rather than a socket that closes at once.
    @Sendable static func upgrade(_ request: Request) async throws -> Response {
        let id = try request.parameter("id")
        let run = try await request.runService.find(id)
        let filter = try await RunEventFilter.resolve(
            request.query[String.self, at: "output"], run: run, service: request.runService)
        let after = try RunEventsResume.point(after: request.query[String.self, at: "after"], lastEventID: nil)
        guard request.headers[.upgrade].contains(where: { $0.lowercased() == "websocket" }) else {
            throw Abort(.upgradeRequired, headers: ["Upgrade": "websocket"], reason: "connect with a WebSocket client")
        }
        // A browser page from another site must not ride on the session cookie (cross-site WebSocket
        // hijacking): with a session, the Origin must be this server's, scheme, host and port.
        if request.principal?.sessionID != nil, let origin = request.headers.first(name: .origin) {
            try checkOrigin(origin, request)
        }
        let access = try request.streamAccessGuard()
        let response = Response(status: .switchingProtocols)
        response.upgrader = WebSocketUpgrader(
            maxFrameSize: .init(integerLiteral: 1 << 16), shouldUpgrade: { request.eventLoop.makeSucceededFuture([:]) },
            onUpgrade: { socket in webSocket(request, socket, id: id, after: after, filter: filter, access: access) })
        return response
    }

    /// Refuses (403) an `Origin` that is not this server's: another host, scheme or port, `null`,
    /// or not an origin at all.
    static func checkOrigin(_ origin: String, _ request: Request) throws {
        guard let presented = WebOrigin(header: origin) else {
            throw Abort(.forbidden, reason: "WebSocket from an unrecognised origin")
        }
        let expected = WebOrigin.expected(
            publicURL: request.services.config.publicURL, hostHeader: request.headers.first(name: .host))
        guard presented == expected else {
            throw Abort(.forbidden, reason: "WebSocket from another origin (\(presented))")
        }
    }

    /// Sends the run's events as WebSocket text frames `{"seq","kind","data"}`. When the token or
    /// session that opened the socket stops being valid, sends `{"error":…}` and closes it with 1008
    /// (policy violation).
    static func webSocket(
        _ request: Request, _ socket: WebSocket, id: String, after: Int, filter: RunEventFilter,
        access: StreamAccessGuard
    ) {
        let feed = RunEventFeed(service: request.runService, bus: request.services.runEvents)
        let task = Task {
            do {
                _ = try await request.runService.find(id)
                for try await batch in access.guarding(OutputCoalescer().batches(feed.events(run: id, after: after))) {
                    for event in filter.apply(batch) {
                        try await socket.send(#"{"seq":\#(event.seq),"kind":"\#(event.kind)","data":\#(event.data)}"#)
                    }
                }
                try await socket.close(code: .normalClosure)
            } catch let error as RunError {
                try? await socket.send(#"{"error":\#(JSONValue.string(error.description).text)}"#)
                try? await socket.close(code: .policyViolation)
            } catch let error as StreamAccessGuard.AccessEnded {
                try? await socket.send(#"{"error":\#(JSONValue.string(error.description).text)}"#)
                try? await socket.close(code: .policyViolation)
            } catch {
                try? await socket.close(code: .unexpectedServerError)
            }
        }
        socket.onClose.whenComplete { _ in task.cancel() }
    }
}

extension Request {
    var runService: RunService {
        RunService(database: db, services: services, logger: logger, awsSessionID: principal?.sessionID)
    }
}
