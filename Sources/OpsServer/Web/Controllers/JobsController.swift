import Foundation
import OpsCore
import Plot
import Vapor

/// The jobs pages: list, show (with the run form), create, edit and delete.
enum JobsController {
    @Sendable static func list(_ request: Request) async throws -> Response {
        JobListView.render(try await request.jobService.list(), context: try await request.pageContext(.jobs))
            .response()
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        try await showPage(request, name: try request.parameter("name"), entered: nil, error: nil).response()
    }

    /// The job page; `entered` and `error` when a run from it was refused.
    static func showPage(_ request: Request, name: String, entered: JobRunController.RunForm?, error: String?)
        async throws -> HTML
    {
        let service = request.jobService
        let stored = try await service.require(name)
        let job = try await service.dto(stored)
        let context = try await request.pageContext(.jobs)
        let tool = request.services.catalog.catalog.tool(job.tool)
        var picker: ToolRunFormModel?
        if let tool, job.overridable.contains(JobOverride.targets.rawValue), job.problems.isEmpty,
            context.role?.allows(.operator) == true
        {
            var form = ToolRunController.RunForm()
            form.targets = entered?.choose_targets == "1" ? entered?.targets ?? [] : job.targets
            form.groups = entered?.choose_targets == "1" ? entered?.groups ?? [] : job.groups
            form.selector = entered?.choose_targets == "1" ? entered?.selector : job.selector
            picker = try await ToolRunController.formModel(request, tool: tool, form: form, error: nil)
        }
        return JobShowView.render(
            .init(
                job: job, tool: tool, specs: JobFormModel.specs(of: job, in: request.services.catalog.catalog),
                runs: try await service.recentRuns(of: stored), picker: picker, entered: entered, error: error),
            context: context)
    }

    /// `/jobs/new`: pick a tool, then the form for it; `?from=RUN` fills it in from a run ("Save as job…").
    @Sendable static func newForm(_ request: Request) async throws -> Response {
        let context = try await request.pageContext(.jobs)
        let catalog = request.services.catalog.catalog
        guard let toolID = request.query[String.self, at: "tool"], !toolID.isEmpty else {
            return JobFormView.chooseTool(catalog.tools, context: context).response()
        }
        guard let tool = catalog.tool(toolID) else { throw Abort(.notFound, reason: "no tool '\(toolID)'") }
        var form = JobForm()
        if let runID = request.query[String.self, at: "from"], !runID.isEmpty {
            let run = try await request.runService.find(runID)
            guard run.tool == tool.id else {
                throw Abort(.badRequest, reason: "from: run \(runID) ran tool '\(run.tool)', not '\(tool.id)'")
            }
            form = JobForm(run: try await RunAgain.form(for: run, service: request.runService, tool: tool))
            form.description = "Saved from run \(runID)."
        }
        let model = try await JobFormModel.make(request, tool: tool, form: form, editing: nil, error: nil)
        return JobFormView.render(model, context: context).response()
    }

    @Sendable static func create(_ request: Request) async throws -> Response {
        let form = try request.content.decode(JobForm.self)
        guard let tool = request.services.catalog.catalog.tool(form.tool ?? "") else {
            throw Abort(.notFound, reason: "no tool '\(form.tool ?? "")'")
        }
        do {
            let job = try await request.jobService.create(try form.spec(tool: tool), by: try request.jobEditor())
            return try await request.redirect(
                to: SitePath.job(job.name), flash: Flash(.success, "Job \(job.name) saved."))
        } catch let error as JobError {
            let model = try await JobFormModel.make(
                request, tool: tool, form: form, editing: nil, error: error.description)
            return JobFormView.render(model, context: try await request.pageContext(.jobs)).response(
                status: error.status)
        }
    }

    @Sendable static func editForm(_ request: Request) async throws -> Response {
        let job = try await editable(request)
        guard let tool = request.services.catalog.catalog.tool(job.tool) else {
            throw JobError.unknown(
                field: "tool",
                message: "no tool '\(job.tool)' in the catalog any more; delete the job or restore the tool")
        }
        let model = try await JobFormModel.make(request, tool: tool, form: JobForm(job: job), editing: job, error: nil)
        return JobFormView.render(model, context: try await request.pageContext(.jobs)).response()
    }

    @Sendable static func update(_ request: Request) async throws -> Response {
        let job = try await editable(request)
        guard let tool = request.services.catalog.catalog.tool(job.tool) else {
            throw JobError.unknown(field: "tool", message: "no tool '\(job.tool)' in the catalog any more")
        }
        let form = try request.content.decode(JobForm.self)
        do {
            let updated = try await request.jobService.update(
                job.name, try form.patch(tool: tool, job: job), by: try request.jobEditor())
            return try await request.redirect(
                to: SitePath.job(updated.name),
                flash: Flash(.success, "Job \(updated.name) saved (version \(updated.version))."))
        } catch let error as JobError {
            let model = try await JobFormModel.make(
                request, tool: tool, form: form, editing: job, error: error.description)
            return JobFormView.render(model, context: try await request.pageContext(.jobs)).response(
                status: error.status)
        }
    }

    @Sendable static func delete(_ request: Request) async throws -> Response {
        let name = try request.parameter("name")
        try await request.jobService.delete(name, by: try request.jobEditor())
        return try await request.redirect(to: SitePath.jobs, flash: Flash(.success, "Job \(name) deleted."))
    }

    /// The job of the path, when the signed-in user may change it (its owner or an admin); else 403.
    private static func editable(_ request: Request) async throws -> JobDTO {
        let job = try await request.jobService.show(try request.parameter("name"))
        let principal = try request.requirePrincipal()
        guard JobService.mayEdit(job, by: principal.username, role: principal.role) else {
            throw JobError.notEditable(job: job.name, owner: job.owner)
        }
        return job
    }
}
