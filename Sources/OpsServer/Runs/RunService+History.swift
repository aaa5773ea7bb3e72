import Fluent
import Foundation
import OpsCore
import SQLKit

extension RunService {
    /// A page of the history, newest first, after the cursor's run: one index range whatever the filter
    /// (issue 17.2), the counts read from the run rows.
    func page(_ filter: RunListFilter) async throws -> RunPageDTO {
        let runs = try await pageRows(filter)
        // A cursor naming no run matches nothing; only then is it looked up (one query less per page).
        if runs.isEmpty, let cursor = filter.newer ?? filter.cursor,
            try await Run.query(on: database).filter(\.$publicID == cursor.publicID).count() == 0
        {
            throw RunError.notFound(cursor.publicID)
        }
        // A "newer" page is read oldest first from its cursor, then shown newest first like every page; the
        // cursor's own run (older) is the next page's start.
        let shown = filter.newer == nil ? Array(runs.prefix(filter.limit)) : Array(runs.prefix(filter.limit).reversed())
        let progress = try await storedProgress(shown)
        let dtos = shown.map { RunDTO($0, progress: progress[$0.id ?? UUID()] ?? RunProgress(stepCount: 0)) }
        var page = RunPageDTO(
            runs: try await withOrigins(dtos, ids: shown.compactMap(\.id)),
            nextCursor: runs.count > filter.limit || filter.newer != nil ? shown.last?.publicID : nil)
        page.newerCursor =
            filter.newer != nil
            ? (runs.count > filter.limit ? shown.first?.publicID : nil)
            : (filter.cursor != nil ? shown.first?.publicID : nil)
        return page
    }

    /// The page's runs and one more (to tell whether another page follows), in order, in one query. With a target
    /// the order comes from `run_targets`, which holds each run's `created_at` and `public_id` for that. The rows are
    /// read column by column: Fluent's model decoding reflects over every property of every row, which cost a
    /// page of 50 runs more than the query did.
    private func pageRows(_ filter: RunListFilter) async throws -> [Run] {
        guard let sql = database as? any SQLDatabase else {
            throw RunError.invalid(field: "database", message: "the database does not speak SQL")
        }
        let order = filter.target == nil ? "runs" : "rt"
        var query: SQLQueryString =
            "SELECT \(unsafeRaw: Self.listColumns.map { "runs." + $0 }.joined(separator: ", ")) FROM runs"
        var conditions = [SQLQueryString]()
        if let target = filter.target {
            query += " JOIN \(unsafeRaw: RunHistoryTables.runTargets) rt ON rt.run_id = runs.id"
            conditions.append("rt.target_name = \(bind: target)")
        }
        if let status = filter.status { conditions.append("runs.status = \(bind: status)") }
        if let tool = filter.tool { conditions.append("runs.tool = \(bind: tool)") }
        if let user = filter.user { conditions.append("runs.requested_by = \(bind: user)") }
        if let since = filter.since { conditions.append("\(unsafeRaw: order).created_at >= \(bind: since)") }
        if let until = filter.until { conditions.append("\(unsafeRaw: order).created_at < \(bind: until)") }
        let newer = filter.newer != nil
        if let cursor = filter.newer ?? filter.cursor {
            // The cursor's position as stored: a date read back and bound again can differ in its last bits.
            conditions.append(
                """
                (\(unsafeRaw: order).created_at, \(unsafeRaw: order).public_id) \
                \(unsafeRaw: newer ? ">" : "<") \
                (SELECT c.created_at, c.public_id FROM runs c WHERE c.public_id = \(bind: cursor.publicID))
                """)
        }
        if !conditions.isEmpty { query += " WHERE " + conditions.joined(separator: " AND ") }
        let direction = newer ? "ASC" : "DESC"
        query +=
            " ORDER BY \(unsafeRaw: order).created_at \(unsafeRaw: direction), \(unsafeRaw: order).public_id \(unsafeRaw: direction)"
        query += " LIMIT \(literal: filter.limit + 1)"
        if let rows = try await SQLiteValues.rows(of: query, on: sql) { return try rows.map(Self.run(from:)) }
        return try await sql.raw(query).all().map { try Self.run(from: SQLRowColumns(row: $0)) }
    }

    static func run(from row: some RunColumns) throws -> Run {
        let run = Run()
        run.id = try row.uuid("id")
        run.publicID = try row.string("public_id")
        run.tool = try row.string("tool")
        run.action = try row.optionalString("action")
        run.workflow = try row.optionalString("workflow")
        run.parametersJSON = try row.string("parameters")
        run.stepsJSON = try row.string("steps")
        run.requestedBy = try row.string("requested_by")
        run.source = try row.string("source")
        run.status = try row.string("status")
        run.maxConcurrency = try row.string("max_concurrency")
        run.maxErrors = try row.string("max_errors")
        run.targetCount = try row.int("target_count")
        run.change = try row.optionalString("change")
        run.note = try row.optionalString("note")
        run.cancelRequested = try row.bool("cancel_requested")
        run.progressText = try row.optionalString("progress")
        run.outputPrunedAt = try row.date("output_pruned_at")
        run.createdAt = try row.date("created_at")
        run.startedAt = try row.date("started_at")
        run.finishedAt = try row.date("finished_at")
        return run
    }

    /// What a list shows of a run: everything but its lease, idempotency key and request hash.
    static let listColumns = [
        "id", "public_id", "tool", "action", "workflow", "parameters", "steps", "requested_by", "source", "status",
        "max_concurrency", "max_errors", "target_count", "change", "note", "cancel_requested", "progress",
        "output_pruned_at", "created_at", "started_at", "finished_at",
    ]

    /// The runs' progress as their rows keep it; a row older than that column is counted from its executions.
    func storedProgress(_ runs: [Run]) async throws -> [UUID: RunProgress] {
        var result = [UUID: RunProgress]()
        var uncounted = [Run]()
        for run in runs {
            guard let id = run.id else { continue }
            if let progress = StoredProgress.progress(run.progressText) {
                result[id] = progress
            } else {
                uncounted.append(run)
            }
        }
        if !uncounted.isEmpty { result.merge(try await progress(uncounted)) { _, counted in counted } }
        return result
    }

    /// Runs the same action or workflow again on the targets of `publicID` that did not succeed.
    func rerunFailed(
        _ publicID: String, parameters given: [String: String], confirm: Bool, by actor: AccountService.Actor
    ) async throws -> Submission {
        let request = try await rerunFailedRequest(publicID, parameters: given, confirm: confirm)
        return try await submit(request, by: actor, source: actor.source.rawValue)
    }

    /// The request that reruns `publicID` on its targets that did not succeed: the same action or workflow, values
    /// (secret ones only as `given`) and limits; recorded as a rerun of it.
    func rerunFailedRequest(_ publicID: String, parameters given: [String: String], confirm: Bool) async throws
        -> RunRequest
    {
        let run = try await find(publicID)
        let failed = try await failedTargets(of: run)
        var parameters = (try? JSONDecoder().decode([String: String].self, from: Data(run.parametersJSON.utf8))) ?? [:]
        parameters = parameters.filter { $0.value != "***" }
        parameters.merge(given) { _, new in new }
        var request = RunRequest(tool: run.tool, action: run.action, workflow: run.workflow)
        request.targets = failed
        request.parameters = parameters
        request.maxConcurrency = run.maxConcurrency
        request.maxErrors = run.maxErrors
        request.confirm = confirm
        request.rerunOf = publicID
        return request
    }

    /// The targets of an ended run that did not succeed, in the run's order; refuses a run still going and one where
    /// every target succeeded.
    func failedTargets(of run: Run) async throws -> [String] {
        guard let status = RunStatus(rawValue: run.status), status.isTerminal else {
            throw RunError.invalid(field: "id", message: "run \(run.publicID) has not ended yet")
        }
        let executions = try await Execution.query(on: database).filter(\.$run.$id == run.requireID())
            .field(\.$run.$id).field(\.$targetIndex).field(\.$targetName).field(\.$status).all()
        var failed = [String]()
        var seen = Set<String>()
        for execution in executions.sorted(by: { $0.targetIndex < $1.targetIndex })
        where execution.status != ExecutionStatus.succeeded.rawValue && seen.insert(execution.targetName).inserted {
            failed.append(execution.targetName)
        }
        guard !failed.isEmpty else {
            throw RunError.invalid(
                field: "id", message: "every target of run \(run.publicID) succeeded; nothing to rerun")
        }
        return failed
    }
}
