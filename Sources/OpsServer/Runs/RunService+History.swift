import Fluent
import Foundation
import OpsCore

extension RunService {
    /// A page of the history, newest first, after the cursor's run.
    func page(_ filter: RunListFilter) async throws -> RunPageDTO {
        let query = Run.query(on: database)
        if let status = filter.status { query.filter(\.$status == status) }
        if let tool = filter.tool { query.filter(\.$tool == tool) }
        if let user = filter.user { query.filter(\.$requestedBy == user) }
        if let since = filter.since { query.filter(\.$createdAt >= since) }
        if let until = filter.until { query.filter(\.$createdAt < until) }
        if let target = filter.target {
            let ids = try await Execution.query(on: database).filter(\.$targetName == target).field(\.$run.$id).unique()
                .all().map(\.$run.id)
            query.filter(\.$id ~~ Set(ids))
        }
        if let cursor = filter.cursor {
            guard let last = try await Run.query(on: database).filter(\.$publicID == cursor.publicID).first(),
                let createdAt = last.createdAt
            else {
                throw RunError.notFound(cursor.publicID)
            }
            query.group(.or) { or in
                or.filter(\.$createdAt < createdAt)
                or.group(.and) { same in
                    same.filter(\.$createdAt == createdAt).filter(\.$publicID < cursor.publicID)
                }
            }
        }
        let runs = try await query.sort(\.$createdAt, .descending).sort(\.$publicID, .descending)
            .limit(filter.limit + 1).all()
        let shown = Array(runs.prefix(filter.limit))
        let progress = try await self.progress(shown)
        return RunPageDTO(
            runs: shown.map { RunDTO($0, progress: progress[$0.id ?? UUID()] ?? RunProgress(stepCount: 0)) },
            nextCursor: runs.count > filter.limit ? shown.last?.publicID : nil)
    }

    /// Runs the same action or workflow again on the targets of `publicID` that did not succeed.
    func rerunFailed(
        _ publicID: String, parameters given: [String: String], confirm: Bool, by actor: AccountService.Actor
    ) async throws -> Submission {
        let run = try await find(publicID)
        guard let status = RunStatus(rawValue: run.status), status.isTerminal else {
            throw RunError.invalid(field: "id", message: "run \(publicID) has not ended yet")
        }
        let executions = try await Execution.query(on: database).filter(\.$run.$id == run.requireID()).all()
        var failed = [String]()
        for execution in executions.sorted(by: { $0.targetIndex < $1.targetIndex })
        where execution.status != ExecutionStatus.succeeded.rawValue && !failed.contains(execution.targetName) {
            failed.append(execution.targetName)
        }
        guard !failed.isEmpty else {
            throw RunError.invalid(field: "id", message: "every target of run \(publicID) succeeded; nothing to rerun")
        }
        var parameters = (try? JSONDecoder().decode([String: String].self, from: Data(run.parametersJSON.utf8))) ?? [:]
        parameters = parameters.filter { $0.value != "***" }
        parameters.merge(given) { _, new in new }
        var request = RunRequest(tool: run.tool, action: run.action, workflow: run.workflow)
        request.targets = failed
        request.parameters = parameters
        request.maxConcurrency = run.maxConcurrency
        request.maxErrors = run.maxErrors
        request.confirm = confirm
        return try await submit(request, by: actor, source: actor.source.rawValue)
    }
}
