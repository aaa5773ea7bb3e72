import Foundation
import OpenAPIRuntime
import OpsCore
import Vapor

/// `/api/v1/runs`: everyone reads and follows; operators start, cancel and rerun.
extension APIHandler {
    /// Newest first; `next_cursor` continues the page.
    func listRuns(_ input: Operations.ListRuns.Input) async throws -> Operations.ListRuns.Output {
        let query = input.query
        let filter = try RunListFilter(
            QueryValues([
                "status": query.status?.rawValue, "tool": query.tool, "user": query.user, "target": query.target,
                "since": query.since, "until": query.until, "limit": query.limit.map(String.init),
                "cursor": query.cursor,
            ]))
        return .ok(.init(body: .json(try await request.runService.page(filter))))
    }

    /// DESIGN.md §10: 201 with the run; 200 with the earlier run when the `Idempotency-Key` was
    /// used before; 200 with the preview for a dry run.
    func createRun(_ input: Operations.CreateRun.Input) async throws -> Operations.CreateRun.Output {
        guard case .json(let body) = input.body else { throw Abort(.unsupportedMediaType) }
        let request = try request
        var runRequest = try body.runRequest()
        // The raw header: the generated code percent-decodes header values (a key `%h.(` arrived empty,
        // `%41` as `A`), and a key is opaque text.
        runRequest.idempotencyKey = input.headers.idempotencyKey.map { _ in
            request.headers.first(name: "Idempotency-Key") ?? ""
        }
        if runRequest.dryRun {
            let report = try await request.runService.dryRun(runRequest, by: request.auditActor)
            return .ok(.init(body: .json(.DryRun(report))))
        }
        let submission = try await request.runService.submit(
            runRequest, by: request.auditActor, source: request.auditActor.source.rawValue)
        let run = try await request.runService.show(submission.run.publicID)
        guard submission.created else { return .ok(.init(body: .json(.Run(run)))) }
        return .created(.init(headers: .init(location: "/api/v1/runs/\(run.id)"), body: .json(run)))
    }

    func getRun(_ input: Operations.GetRun.Input) async throws -> Operations.GetRun.Output {
        .ok(.init(body: .json(try await request.runService.show(input.path.id))))
    }

    /// Per target and step, with output; `?target=NAME` narrows it to one target.
    func listRunExecutions(_ input: Operations.ListRunExecutions.Input) async throws
        -> Operations.ListRunExecutions.Output
    {
        let service = try request.runService
        let executions =
            if let target = input.query.target {
                try await service.executions(input.path.id, target: target)
            } else {
                try await service.executions(input.path.id)
            }
        return .ok(.init(body: .json(executions)))
    }

    /// Running scripts are stopped; the run ends `cancelled`.
    func cancelRun(_ input: Operations.CancelRun.Input) async throws -> Operations.CancelRun.Output {
        let request = try request
        let run = try await request.runService.cancel(input.path.id, by: request.auditActor)
        return .ok(.init(body: .json(try await request.runService.show(run.publicID))))
    }

    /// The same action or workflow and parameters on the targets that did not succeed. Secret
    /// parameters are not stored, so they must be given again.
    func rerunFailed(_ input: Operations.RerunFailed.Input) async throws -> Operations.RerunFailed.Output {
        let request = try request
        var parameters = [String: String]()
        var confirm = false
        var dryRun = false
        if case .json(let body) = input.body {
            parameters = body.parameters?.additionalProperties ?? [:]
            confirm = body.confirm ?? false
            dryRun = body.dryRun ?? false
        }
        if dryRun {
            let rerun = try await request.runService.rerunFailedRequest(
                input.path.id, parameters: parameters, confirm: confirm)
            return .ok(.init(body: .json(try await request.runService.dryRun(rerun, by: request.auditActor))))
        }
        let submission = try await request.runService.rerunFailed(
            input.path.id, parameters: parameters, confirm: confirm, by: request.auditActor)
        return .created(.init(body: .json(try await request.runService.show(submission.run.publicID))))
    }

    /// Server-Sent Events: `id: seq`, `event: kind`, `data: json`; resumes after `?after=` or
    /// `Last-Event-ID`; a finished run replays and the stream ends. It also ends, within a few
    /// seconds, when the token or session that opened it stops being valid.
    func runEvents(_ input: Operations.RunEvents.Input) async throws -> Operations.RunEvents.Output {
        let request = try request
        let id = input.path.id
        let run = try await request.runService.find(id)
        let after = try RunEventsResume.point(
            after: input.query.after.map(String.init), lastEventID: input.headers.lastEventID)
        let filter = try await RunEventFilter.resolve(input.query.output, run: run, service: request.runService)
        let feed = RunEventFeed(service: request.runService, bus: request.services.runEvents)
        let access = try request.streamAccessGuard()
        let stream = ServerSentEvents(
            batches: access.guarding(OutputCoalescer().batches(feed.events(run: id, after: after))), filter: filter)
        return .ok(
            .init(
                headers: .init(cacheControl: "no-cache", xAccelBuffering: "no"),
                body: .textEventStream(HTTPBody(stream, length: .unknown, iterationBehavior: .single))))
    }
}

/// Where a client resumes: `?after=N`, else the `Last-Event-ID` header, else the start.
enum RunEventsResume {
    static func point(after: String?, lastEventID: String?) throws -> Int {
        guard let text = after ?? lastEventID else { return 0 }
        guard let value = Int(text), value >= 0 else {
            throw Abort(.badRequest, reason: "after: must be a sequence number (0 or more), got '\(text)'")
        }
        return value
    }
}

/// The SSE text of event batches: a `retry:` line first, then one block per event. Pulls a batch
/// only when the client has taken the previous one, so a slow reader holds back the feed (which
/// then refills from the database) instead of growing a buffer here.
struct ServerSentEvents: AsyncSequence, Sendable {
    typealias Element = String
    let batches: AsyncThrowingStream<[RunEventMessage], any Error>
    var filter = RunEventFilter.everything

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<[RunEventMessage], any Error>.AsyncIterator
        let filter: RunEventFilter
        var started = false

        mutating func next() async throws -> String? {
            if !started {
                started = true
                return "retry: 2000\n\n"
            }
            do {
                while let batch = try await base.next() {
                    let kept = filter.apply(batch)
                    if kept.isEmpty { continue }
                    return kept.map { "id: \($0.seq)\nevent: \($0.kind)\ndata: \($0.data)\n\n" }.joined()
                }
            } catch is StreamAccessGuard.AccessEnded {
                // A clean end: the browser reconnects, is refused (401) and stops.
            }
            return nil
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: batches.makeAsyncIterator(), filter: filter) }
}
