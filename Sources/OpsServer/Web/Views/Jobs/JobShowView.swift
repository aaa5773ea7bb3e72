import Foundation
import OpsCore
import Plot

/// `/jobs/{name}`: a job's definition, what keeps it from running, its recent runs, and (operators) the form that
/// runs it through a preview, with the fields the job lets a runner change.
enum JobShowView {
    struct Model {
        var job: JobDTO
        /// The tool as the catalog has it now (nil when it is gone).
        var tool: ToolDefinition?
        /// The parameters the job's action or workflow takes now.
        var specs: [ParameterSpec]
        var runs: [RunDTO]
        /// The inventory for the target picker, when the job lets runners choose targets.
        var picker: ToolRunFormModel?
        /// What the runner entered, when the page comes back with an error.
        var entered: JobRunController.RunForm?
        var error: String?
    }

    static func render(_ model: Model, context: PageContext) -> HTML {
        let job = model.job
        let canRun = context.role?.allows(.operator) == true
        let canEdit = JobService.mayEdit(job, by: context.username, role: context.role)
        return Layout.page(
            title: "Job \(job.name)", context: context,
            content: .group(
                .div(
                    .class("page-head"),
                    .h1(.text("Job "), .code(.text(job.name))),
                    .div(
                        .class("run-actions"),
                        .if(
                            canEdit,
                            .a(
                                .class("button"), .id("edit-job"), .attribute(.href, SitePath.job(job.name) + "/edit"),
                                .text("Edit"))),
                        .if(
                            canEdit,
                            .form(
                                .class("inline"), .method(.post),
                                .attribute(.action, SitePath.job(job.name) + "/delete"),
                                CSRFField.node(context.csrfToken ?? ""),
                                .button(
                                    .type(.submit), .id("delete-job"), .class("danger"),
                                    .attribute(.data("confirm"), "Delete job \(job.name)? Its runs stay."),
                                    .text("Delete")))))),
                .if(!job.description.isEmpty, .p(.id("job-description"), .text(job.description))),
                .if(
                    !job.problems.isEmpty,
                    .div(
                        .class("flash flash-error"), .id("job-problems"),
                        .p(
                            .strong(
                                .text("This job cannot run until it is edited: the catalog or the inventory changed."))),
                        .ul(.forEach(job.problems) { .li(.text($0)) }))),
                facts(job, specs: model.specs),
                .if(canRun && job.problems.isEmpty, runForm(model, csrf: context.csrfToken ?? "")),
                .h2("Recent runs"),
                .if(
                    model.runs.isEmpty, .p(.class("muted"), .id("no-job-runs"), .text("This job has not run yet.")),
                    else: .div(
                        .class("table-wrap"),
                        .table(
                            .id("job-runs"),
                            .thead(
                                .tr(
                                    .th("Run"), .th("Tool"), .th("Status"), .th("Targets"), .th("Succeeded"),
                                    .th("Failed"), .th("By"), .th("Started"), .th("Took"))),
                            .tbody(.forEach(model.runs) { RunListView.row($0) }))))
            ),
            scripts: model.picker == nil ? [] : ["/js/tool-form.js"])
    }

    private static func facts(_ job: JobDTO, specs: [ParameterSpec]) -> Node<HTML.BodyContext> {
        let parameters = job.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let limits = [
            job.maxConcurrency.map { "max concurrency \($0)" }, job.maxErrors.map { "max errors \($0)" },
        ].compactMap { $0 }
        return .dl(
            .class("facts"), .id("job-facts"),
            .dt("Runs"), .dd(.a(.attribute(.href, SitePath.tool(job.tool)), .code(.text(job.reference)))),
            .dt("Parameters"), .dd(.text(parameters.isEmpty ? "—" : parameters.joined(separator: "  "))),
            .dt("Targets"), .dd(.text(job.targets.isEmpty ? "—" : job.targets.joined(separator: ", "))),
            .dt("Groups"), .dd(.text(job.groups.isEmpty ? "—" : job.groups.joined(separator: ", "))),
            .dt("Tag selector"), .dd(.text(job.selector ?? "—")),
            .dt("Limits"), .dd(.text(limits.isEmpty ? "defaults" : limits.joined(separator: ", "))),
            .dt("Runners may change"),
            .dd(
                .id("job-overridable"),
                .text(job.overridable.isEmpty ? "nothing: it runs as saved" : job.overridable.joined(separator: ", "))),
            .if(
                !job.prompts.isEmpty,
                .group(
                    .dt("Secrets given at each run"),
                    .dd(
                        .text(
                            job.prompts.map { name in
                                specs.contains { $0.name == name && $0.required && $0.defaultValue == nil }
                                    ? "\(name) (required)" : name
                            }.joined(separator: ", "))))),
            .dt("Owner"), .dd(.text(job.owner)),
            .dt("Version"), .dd(.id("job-version"), .text(String(job.version))),
            .dt("Created"), .dd(time(job.createdAt), .text(" by \(job.createdBy)")),
            .dt("Updated"), .dd(time(job.updatedAt), .text(" by \(job.updatedBy)")),
            .dt("Id"), .dd(.code(.text(job.id))))
    }

    /// The run form: the parameters the runner may give, the target picker and limits when the job allows them,
    /// and Preview, which shows exactly what will run before anything does.
    private static func runForm(_ model: Model, csrf: String) -> Node<HTML.BodyContext> {
        let job = model.job
        let allowed = Set(job.overridable)
        let entered = model.entered
        let shown = model.specs.filter { allowed.contains("parameters") || job.prompts.contains($0.name) }
        let chooseTargets = allowed.contains("targets") && model.picker != nil
        return .form(
            .attribute(.id, chooseTargets ? "run-form" : "job-run-form"), .class("card run-form"), .method(.post),
            .attribute(.action, SitePath.job(job.name) + "/run"),
            CSRFField.node(csrf),
            .h2("Run this job"),
            .unwrap(model.error) { .div(.class("flash flash-error"), .id("run-error"), .text($0)) },
            .p(
                .class("muted"),
                .text(
                    allowed.isEmpty
                        ? "It runs as saved" + (job.prompts.isEmpty ? "." : "; give the secret values it asks for.")
                        : "You may change its \(allowed.sorted().joined(separator: ", ")). Preview shows exactly what will run."
                )),
            .if(
                !shown.isEmpty,
                .fieldset(
                    .element(named: "legend", text: "Parameters"),
                    .forEach(shown) { spec in
                        JobFields.parameter(
                            spec, value: entered?.params?[spec.name] ?? job.parameters[spec.name],
                            stored: spec.secret && job.parameters[spec.name] != nil, usedBy: nil,
                            requiredNow: spec.required && spec.defaultValue == nil && job.parameters[spec.name] == nil,
                            idPrefix: "param")
                    })),
            .unwrap(chooseTargets ? model.tool : nil) { tool in
                .group(
                    .input(.type(.hidden), .name("choose_targets"), .value("1")),
                    .unwrap(model.picker) { ToolRunForm.targetPicker(tool, $0) })
            },
            .if(
                allowed.contains("limits"),
                .group(
                    .input(.type(.hidden), .name("choose_limits"), .value("1")),
                    JobFields.limits(
                        concurrency: entered?.max_concurrency ?? job.maxConcurrency ?? "",
                        errors: entered?.max_errors ?? job.maxErrors ?? ""))),
            .div(
                .class("form-actions"),
                .button(
                    .type(.submit), .name("intent"), .value("preview"), .class("primary"), .id("preview-job"),
                    .text("Run…"))))
    }

    /// A time as `<time datetime>` (UTC), its text as the run lists show times.
    static func time(_ date: Date?) -> Node<HTML.BodyContext> {
        guard let date else { return .text("—") }
        return .element(
            named: "time", nodes: [.attribute(.datetime, date.formatted(.iso8601)), .text(RunBadge.time(date))])
    }
}
