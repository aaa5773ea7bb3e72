import Foundation
import OpenAPIRuntime
import OpsCore
import Vapor

/// `/api/v1/jobs`: everyone reads; operators save and run jobs; a job's owner and admins change or delete it.
extension APIHandler {
    func listJobs(_ input: Operations.ListJobs.Input) async throws -> Operations.ListJobs.Output {
        .ok(.init(body: .json(try await request.jobService.list())))
    }

    func createJob(_ input: Operations.CreateJob.Input) async throws -> Operations.CreateJob.Output {
        guard case .json(let body) = input.body else { throw Abort(.unsupportedMediaType) }
        let request = try request
        let job = try await request.jobService.create(body.spec, by: try request.jobEditor())
        let dto = try await request.jobService.show(job.name)
        return .created(.init(headers: .init(location: "/api/v1/jobs/\(dto.name)"), body: .json(dto)))
    }

    func getJob(_ input: Operations.GetJob.Input) async throws -> Operations.GetJob.Output {
        .ok(.init(body: .json(try await request.jobService.show(input.path.name))))
    }

    func updateJob(_ input: Operations.UpdateJob.Input) async throws -> Operations.UpdateJob.Output {
        guard case .json(let body) = input.body else { throw Abort(.unsupportedMediaType) }
        let request = try request
        let job = try await request.jobService.update(input.path.name, body.patch, by: try request.jobEditor())
        return .ok(.init(body: .json(try await request.jobService.show(job.name))))
    }

    func deleteJob(_ input: Operations.DeleteJob.Input) async throws -> Operations.DeleteJob.Output {
        let request = try request
        try await request.jobService.delete(input.path.name, by: try request.jobEditor())
        return .noContent(.init())
    }

    /// 201 with the run; 200 with the preview for a dry run.
    func runJob(_ input: Operations.RunJob.Input) async throws -> Operations.RunJob.Output {
        let request = try request
        var overrides = JobRunOverrides()
        if case .json(let body) = input.body { overrides = body.overrides }
        let editor = try request.jobEditor()
        if overrides.dryRun {
            return .ok(.init(body: .json(try await request.jobService.dryRun(input.path.name, overrides, by: editor))))
        }
        let submission = try await request.jobService.run(
            input.path.name, overrides, by: editor, source: request.auditActor.source.rawValue)
        let run = try await request.runService.show(submission.run.publicID)
        return .created(.init(headers: .init(location: "/api/v1/runs/\(run.id)"), body: .json(run)))
    }
}

extension Request {
    var jobService: JobService {
        JobService(database: db, services: services, logger: logger, awsSessionID: principal?.sessionID)
    }

    /// The signed-in user as the editor of a job.
    func jobEditor() throws -> JobService.Editor {
        JobService.Editor(actor: auditActor, role: try requirePrincipal().role)
    }
}
