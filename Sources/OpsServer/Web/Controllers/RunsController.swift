import Fluent
import Foundation
import OpsCore
import Vapor

/// The run history and run pages.
enum RunsController {
    @Sendable static func list(_ request: Request) async throws -> Response {
        var query = [String: String]()
        for name in ["status", "tool", "user", "target", "since", "until", "cursor", "newer", "limit"] {
            if let value = request.query[String.self, at: name], !value.isEmpty { query[name] = value }
        }
        var error: String?
        var page = RunPageDTO(runs: [], nextCursor: nil)
        do {
            var filter = try RunListFilter(QueryValues(request))
            if let newer = query["newer"] {
                guard let cursor = RunCursor(newer) else {
                    throw RunError.invalid(field: "newer", message: "is not valid")
                }
                filter.newer = cursor
                filter.cursor = nil
            }
            page = try await request.runService.page(filter)
        } catch let refusal as RunError {
            error = refusal.description
        }
        let tools = request.services.catalog.catalog.tools.map(\.id)
        let users = try await User.query(on: request.db).sort(\.$username).limit(500).all(\.$username)
        let targets = try await Target.query(on: request.db).sort(\.$name).limit(1000).all(\.$name)
        return RunListView.render(
            .init(page: page, query: query, tools: tools, error: error, users: users, targets: targets),
            context: try await request.pageContext(.runs)
        ).response()
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        let id = try request.parameter("id")
        let service = request.runService
        let run = try await service.find(id)
        // Read the sequence number first: whatever happens after it reaches the page as events.
        let seq = try await service.latestSeq(run)
        let executions = try await service.executionSummaries(run)
        let dto = try await service.withOrigin(service.show(run, executions: executions), id: run.requireID())
        var steps = [String]()
        for execution in executions where execution.targetIndex == executions.first?.targetIndex {
            steps.append(execution.action)
        }
        let requested = request.query[String.self, at: "target"]
        let selected =
            requested.flatMap { name in executions.first { $0.target == name }?.target }
            ?? executions.first { ["failed", "timed_out", "interrupted"].contains($0.status) }?.target
            ?? executions.first?.target
        var output = [ExecutionDTO]()
        var all: RunShowView.AllTargets?
        if request.query[String.self, at: "view"] == "all" {
            let failedOnly = request.query[String.self, at: "failed"] == "1"
            let search = (request.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
            let failing = Set(
                executions.filter { ["failed", "timed_out", "interrupted"].contains($0.status) }.map(\.targetIndex))
            let lines = try await service.prefixedTail(
                run, stepCount: steps.count, through: seq, keep: RunShowView.AllTargets.keep)
            all = .init(
                lines: lines.filter { line in
                    (!failedOnly || failing.contains(line.targetIndex))
                        && (search.isEmpty || line.text.localizedCaseInsensitiveContains(search)
                            || line.target.localizedCaseInsensitiveContains(search))
                },
                failedOnly: failedOnly, search: search, stepCount: steps.count)
        } else if let selected {
            output = try await service.executions(run, target: selected, through: seq)
        }
        let rows = min(max(request.query[Int.self, at: "rows"] ?? 300, 1), 100_000)
        return RunShowView.render(
            .init(
                run: dto, executions: executions, steps: steps, seq: seq, selected: selected, output: output,
                rowLimit: rows, reruns: try await service.reruns(of: run.publicID),
                jobNow: try await service.currentJobName(of: run), all: all),
            context: try await request.pageContext(.runs)
        ).response()
    }

    @Sendable static func cancel(_ request: Request) async throws -> Response {
        let id = try request.parameter("id")
        do {
            _ = try await request.runService.cancel(id, by: request.auditActor)
            return try await request.redirect(to: SitePath.run(id), flash: Flash(.success, "Cancel requested."))
        } catch let error as RunError {
            if case .notFound = error { throw error }
            return try await request.redirect(to: SitePath.run(id), flash: Flash(.error, error.description))
        }
    }

    /// "Rerun on failed targets": the preview of the same action or workflow on the targets that did not succeed,
    /// recorded as a rerun of this run once started (secret values are asked for again).
    @Sendable static func rerun(_ request: Request) async throws -> Response {
        let id = try request.parameter("id")
        do {
            let rerun = try await request.runService.rerunFailedRequest(id, parameters: [:], confirm: false)
            guard let tool = request.services.catalog.catalog.tool(rerun.tool) else {
                throw RunError.unknown(field: "tool", message: "no tool '\(rerun.tool)' in the catalog any more")
            }
            return try await ToolRunController.preview(request, tool: tool, form: RunAgain.form(rerun, tool: tool))
        } catch let error as RunError {
            if case .notFound = error { throw error }
            return try await request.redirect(to: SitePath.run(id), flash: Flash(.error, error.description))
        }
    }

    /// `/runs/{id}/log.txt`: every target's output as plain text, target by target; with `?format=prefixed`, one
    /// log for all targets (each line prefixed with its target, in arrival order; `&failed=1` keeps failed targets').
    @Sendable static func log(_ request: Request) async throws -> Response {
        let id = try request.parameter("id")
        let service = request.runService
        let stored = try await service.find(id)
        switch request.query[String.self, at: "format"] {
        case nil, "", "targets": break
        case "prefixed": return try await prefixedLog(request, stored)
        case let other?:
            throw Abort(
                .badRequest, reason: "format: must be 'targets' or 'prefixed', got '\(other.prefix(40))'")
        }
        let run = try await service.show(stored)
        let names = try await service.executionSummaries(stored).reduce(into: [String]()) {
            if !$0.contains($1.target) { $0.append($1.target) }
        }
        let response = textDownload("\(run.id).log.txt")
        response.body = .init(asyncStream: { writer in
            do {
                try await writer.write(.buffer(ByteBuffer(string: logHeader(run))))
                for name in names {
                    for execution in try await service.executions(stored, target: name) {
                        var text =
                            "\n=== \(execution.target) · \(execution.step + 1). \(execution.action) · \(execution.status)"
                        text += execution.exitCode.map { " · exit \($0)" } ?? ""
                        text += "\n"
                        if let error = execution.error { text += "error: \(error)\n" }
                        text += execution.stdout
                        if !execution.stderr.isEmpty { text += "\n--- stderr ---\n" + execution.stderr }
                        try await writer.write(.buffer(ByteBuffer(string: text)))
                    }
                }
                try await writer.write(.end)
            } catch {
                try? await writer.write(.error(error))
            }
        })
        return response
    }

    /// log.txt in the one-log form: streamed from the output events in pages, never all in memory.
    private static func prefixedLog(_ request: Request, _ stored: Run) async throws -> Response {
        let service = request.runService
        let run = try await service.show(stored)
        let executions = try await service.executionSummaries(stored)
        let stepCount = max(1, run.steps.count)
        let failing: Set<Int>? =
            request.query[String.self, at: "failed"] == "1"
            ? Set(executions.filter { ["failed", "timed_out", "interrupted"].contains($0.status) }.map(\.targetIndex))
            : nil
        let keep: @Sendable (PrefixedLog.Line) -> Bool = { line in failing?.contains(line.targetIndex) ?? true }
        let runID = try stored.requireID()
        let database = request.db
        let response = textDownload("\(run.id).all.log.txt")
        response.body = .init(asyncStream: { writer in
            do {
                try await writer.write(.buffer(ByteBuffer(string: logHeader(run))))
                var log = PrefixedLog(stepCount: stepCount)
                var after = 0
                var any = false
                while true {
                    let page = try await RunEvent.query(on: database).filter(\.$run.$id == runID)
                        .filter(\.$kind == "output").filter(\.$seq > after).sort(\.$seq).limit(1000).all()
                    guard let last = page.last else { break }
                    any = true
                    for event in page { log.add(event) }
                    let text = log.drain().filter(keep).map(log.text(of:)).joined()
                    if !text.isEmpty { try await writer.write(.buffer(ByteBuffer(string: text))) }
                    after = last.seq
                }
                var rest = log.remainder()
                if !any { rest = try await service.prefixedFromExecutions(stored, stepCount: stepCount, keep: nil) }
                let text = rest.filter(keep).map(log.text(of:)).joined()
                if !text.isEmpty { try await writer.write(.buffer(ByteBuffer(string: text))) }
                try await writer.write(.end)
            } catch {
                try? await writer.write(.error(error))
            }
        })
        return response
    }

    /// A plain-text attachment named `filename`; the caller streams its body.
    private static func textDownload(_ filename: String) -> Response {
        let response = Response(status: .ok)
        response.headers.replaceOrAdd(name: .contentType, value: "text/plain; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        return response
    }

    /// The first line of every log download.
    private static func logHeader(_ run: RunDTO) -> String {
        "run \(run.id) \(run.reference): \(run.status)\n"
    }
}
