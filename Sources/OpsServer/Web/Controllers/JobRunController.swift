import Foundation
import OpsCore
import Vapor

/// Running a job from its page: always through the preview (the exact scripts and targets, and a confirmation for
/// destructive actions), then the run.
enum JobRunController {
    /// What the job page's run form sends: only the fields the job lets a runner change (and the secret values it
    /// asks for) are on it; `choose_targets` and `choose_limits` say the runner chose those.
    struct RunForm: Content {
        var params: [String: String]?
        var choose_targets: String?
        var targets: [String]?
        var groups: [String]?
        var selector: String?
        var choose_limits: String?
        var max_concurrency: String?
        var max_errors: String?
        var intent: String?
        var confirm: String?

        /// Blank values are not given: the job's own stand (a secret's stored value too).
        var overrides: JobRunOverrides {
            var overrides = JobRunOverrides()
            overrides.parameters = (params ?? [:]).filter { !$0.value.isEmpty }
            if choose_targets == "1" {
                overrides.targets = targets ?? []
                overrides.groups = groups ?? []
                overrides.selector = selector ?? ""
            }
            if choose_limits == "1" {
                overrides.maxConcurrency = max_concurrency ?? ""
                overrides.maxErrors = max_errors ?? ""
            }
            overrides.confirm = confirm == "yes"
            return overrides
        }
    }

    @Sendable static func submit(_ request: Request) async throws -> Response {
        let name = try request.parameter("name")
        let form = try request.content.decode(RunForm.self)
        let service = request.jobService
        let editor = try request.jobEditor()
        do {
            let overrides = form.overrides
            let report = try await service.dryRun(name, overrides, by: editor)
            let destructive = report.steps.contains(where: \.destructive)
            if form.intent != "run" || (destructive && !overrides.confirm) {
                let job = try await service.show(name)
                return JobPreviewView.render(
                    job: job, report: report, form: form, needsConfirmation: destructive,
                    context: try await request.pageContext(.jobs)
                ).response()
            }
            let submission = try await service.run(name, overrides, by: editor, source: "web")
            return try await request.redirect(
                to: SitePath.run(submission.run.publicID),
                flash: Flash(
                    .success,
                    "Run \(submission.run.publicID) of job \(name) started on \(submission.run.targetCount) target"
                        + (submission.run.targetCount == 1 ? "." : "s.")))
        } catch let error as JobError {
            if case .notFound = error { throw error }
            return try await JobsController.showPage(request, name: name, entered: form, error: error.description)
                .response(status: error.status)
        } catch let error as RunError {
            return try await JobsController.showPage(request, name: name, entered: form, error: error.description)
                .response(status: error.status)
        }
    }
}
