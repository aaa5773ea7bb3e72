import Foundation
import OpsCore
import Vapor

/// `/api/v1/runs`: everyone reads; operators start and cancel runs.
enum RunsAPI {
    /// `GET /api/v1/runs?status=&tool=&user=&target=&since=&until=&limit=&cursor=`.
    @Sendable static func list(_ request: Request) async throws -> RunPage {
        let filter = try RunListFilter(request)
        return try await request.runService.page(filter)
    }

    /// `POST /api/v1/runs` (DESIGN.md §10): 201 with the run; 200 with the earlier run when the
    /// `Idempotency-Key` was used before; 200 with the preview for a dry run.
    @Sendable static func create(_ request: Request) async throws -> Response {
        let body = try RunCreateBody.decode(request)
        var runRequest = try body.runRequest()
        runRequest.idempotencyKey = request.headers.first(name: "Idempotency-Key")
        if runRequest.dryRun {
            return try await request.runService.dryRun(runRequest, by: request.auditActor)
                .encodeResponse(status: .ok, for: request)
        }
        let submission = try await request.runService.submit(
            runRequest, by: request.auditActor, source: request.auditActor.source.rawValue)
        let run = try await request.runService.show(submission.run.publicID)
        let response = try await run.encodeResponse(status: submission.created ? .created : .ok, for: request)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/runs/\(run.id)")
        return response
    }

    @Sendable static func show(_ request: Request) async throws -> RunDTO {
        try await request.runService.show(try request.parameter("id"))
    }

    /// `GET /api/v1/runs/{id}/executions`: per target and step, with output.
    /// `?target=NAME` narrows it to one target.
    @Sendable static func executions(_ request: Request) async throws -> [ExecutionDTO] {
        let id = try request.parameter("id")
        if let target = request.query[String.self, at: "target"] {
            return try await request.runService.executions(id, target: target)
        }
        return try await request.runService.executions(id)
    }

    @Sendable static func cancel(_ request: Request) async throws -> RunDTO {
        let run = try await request.runService.cancel(try request.parameter("id"), by: request.auditActor)
        return try await request.runService.show(run.publicID)
    }

    /// `POST /api/v1/runs/{id}/rerun`: the same action or workflow and parameters on the targets
    /// that did not succeed. Secret parameters are not stored, so they must be given again.
    @Sendable static func rerun(_ request: Request) async throws -> Response {
        let body = try request.content.decode(RerunBody.self)
        let submission = try await request.runService.rerunFailed(
            try request.parameter("id"), parameters: body.parameters ?? [:], confirm: body.confirm ?? false,
            by: request.auditActor)
        let run = try await request.runService.show(submission.run.publicID)
        return try await run.encodeResponse(status: .created, for: request)
    }

    struct RerunBody: Content {
        var parameters: [String: String]?
        var confirm: Bool?
    }

    /// Where a client resumes: `?after=N`, else the `Last-Event-ID` header, else the start.
    static func resumePoint(_ request: Request) throws -> Int {
        if let text = request.query[String.self, at: "after"] ?? request.headers.first(name: "Last-Event-ID") {
            guard let value = Int(text), value >= 0 else {
                throw Abort(.badRequest, reason: "after: must be a sequence number (0 or more), got '\(text)'")
            }
            return value
        }
        return 0
    }

    /// `GET /api/v1/runs/{id}/events`: Server-Sent Events, `id: seq`, `event: kind`, `data: json`.
    @Sendable static func events(_ request: Request) async throws -> Response {
        let id = try request.parameter("id")
        _ = try await request.runService.find(id)
        let after = try resumePoint(request)
        let feed = RunEventFeed(service: request.runService, bus: request.services.runEvents)
        let coalescer = OutputCoalescer()
        let response = Response(status: .ok)
        response.headers.replaceOrAdd(name: .contentType, value: "text/event-stream; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        response.headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        response.body = .init(asyncStream: { writer in
            do {
                try await writer.write(.buffer(ByteBuffer(string: "retry: 2000\n\n")))
                for try await batch in coalescer.batches(feed.events(run: id, after: after)) {
                    var text = ""
                    for event in batch {
                        text += "id: \(event.seq)\nevent: \(event.kind)\ndata: \(event.data)\n\n"
                    }
                    try await writer.write(.buffer(ByteBuffer(string: text)))
                }
                try await writer.write(.end)
            } catch {
                try? await writer.write(.error(error))
            }
        })
        return response
    }

    /// `GET /api/v1/runs/{id}/ws`: checks everything (run, resume point, origin) before switching
    /// protocols, so a bad request gets a 4xx problem rather than a socket that closes at once.
    @Sendable static func upgrade(_ request: Request) async throws -> Response {
        let id = try request.parameter("id")
        _ = try await request.runService.find(id)
        let after = try resumePoint(request)
        guard request.headers[.upgrade].contains(where: { $0.lowercased() == "websocket" }) else {
            throw Abort(.upgradeRequired, headers: ["Upgrade": "websocket"], reason: "connect with a WebSocket client")
        }
        // A browser page from another site must not ride on the session cookie (cross-site WebSocket
        // hijacking): with a session, the Origin must be this server.
        if request.headers.bearerAuthorization == nil, let origin = request.headers.first(name: .origin),
            URL(string: origin)?.host
                != request.headers.first(name: .host)?.split(separator: ":").first.map(String.init)
        {
            throw Abort(.forbidden, reason: "WebSocket from another origin")
        }
        let response = Response(status: .switchingProtocols)
        response.upgrader = WebSocketUpgrader(
            maxFrameSize: .init(integerLiteral: 1 << 16), shouldUpgrade: { request.eventLoop.makeSucceededFuture([:]) },
            onUpgrade: { socket in webSocket(request, socket, id: id, after: after) })
        return response
    }

    /// Sends the run's events as WebSocket text frames `{"seq","kind","data"}`.
    static func webSocket(_ request: Request, _ socket: WebSocket, id: String, after: Int) {
        let feed = RunEventFeed(service: request.runService, bus: request.services.runEvents)
        let task = Task {
            do {
                _ = try await request.runService.find(id)
                for try await batch in OutputCoalescer().batches(feed.events(run: id, after: after)) {
                    for event in batch {
                        try await socket.send(#"{"seq":\#(event.seq),"kind":"\#(event.kind)","data":\#(event.data)}"#)
                    }
                }
                try await socket.close(code: .normalClosure)
            } catch let error as RunError {
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
    var runService: RunService { RunService(database: db, services: services, logger: logger) }
}
