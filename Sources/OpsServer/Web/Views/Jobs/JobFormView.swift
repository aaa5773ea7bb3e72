import Foundation
import OpsCore
import Plot

/// `/jobs/new` and `/jobs/{name}/edit`: a job is a run form saved under a name, with what a runner may change.
/// Works without JavaScript; `tool-form.js` shows only the chosen action's parameters and filters the targets.
enum JobFormView {
    static func render(_ model: JobFormModel, context: PageContext) -> HTML {
        let tool = model.tool
        let editing = model.editing
        let title = editing.map { "Edit job \($0.name)" } ?? "New job"
        return Layout.page(
            title: title, context: context,
            content: .group(
                .h1(.text(title)),
                .p(
                    .class("muted"), .text("Tool: "), .a(.attribute(.href, SitePath.tool(tool.id)), .text(tool.name)),
                    .text(" (\(tool.id))"),
                    .if(editing == nil, .group(.text(" · "), .a(.href(SitePath.newJob), .text("another tool"))))),
                .form(
                    .id("run-form"), .class("card run-form job-form"), .method(.post),
                    .attribute(.action, editing.map { SitePath.job($0.name) } ?? SitePath.jobs),
                    CSRFField.node(context.csrfToken ?? ""),
                    .input(.type(.hidden), .name("tool"), .attribute(.value, tool.id)),
                    .if(editing != nil, .input(.type(.hidden), .name("version"), .attribute(.value, model.version))),
                    .unwrap(model.run.error) { .div(.class("flash flash-error"), .id("job-error"), .text($0)) },
                    .fieldset(
                        .element(named: "legend", text: "Job"),
                        .label(.for("job-name"), .text("Name (letters, digits, '.', '_' and '-')")),
                        .input(
                            .type(.text), .id("job-name"), .name("name"), .attribute(.value, model.name),
                            .attribute(named: "pattern", value: "[A-Za-z0-9][A-Za-z0-9._\\-]*"),
                            .attribute(named: "maxlength", value: "100"), .required(true)),
                        .label(.for("job-description"), .text("Description")),
                        .textarea(
                            .id("job-description"), .name("description"), .attribute(named: "rows", value: "3"),
                            .attribute(named: "maxlength", value: "2000"), .text(model.description))),
                    .fieldset(
                        .element(named: "legend", text: "What"),
                        .forEach(tool.actions) { action in
                            ToolRunForm.choice(
                                "action:\(action.id)", "\(action.name) (\(action.id))", destructive: action.destructive,
                                model.run)
                        },
                        .forEach(tool.workflows) { workflow in
                            ToolRunForm.choice(
                                "workflow:\(workflow.id)", "Workflow: \(workflow.name)",
                                destructive: workflow.steps.contains { tool.action($0.action)?.destructive == true },
                                model.run)
                        }),
                    parameters(model),
                    ToolRunForm.targetPicker(tool, model.run),
                    JobFields.limits(concurrency: model.run.maxConcurrency, errors: model.run.maxErrors),
                    overridable(model),
                    .div(
                        .class("form-actions"),
                        .button(.type(.submit), .class("primary"), .id("save-job"), .text("Save job")),
                        .a(
                            .class("button"), .attribute(.href, editing.map { SitePath.job($0.name) } ?? SitePath.jobs),
                            .text("Cancel"))))
            ),
            scripts: ["/js/tool-form.js"])
    }

    /// Every parameter of the tool, each shown for the choices that take it.
    private static func parameters(_ model: JobFormModel) -> Node<HTML.FormContext> {
        let tool = model.tool
        var choices = [(String, [ParameterSpec])]()
        for action in tool.actions { choices.append(("action:\(action.id)", action.parameters)) }
        for workflow in tool.workflows {
            choices.append(
                ("workflow:\(workflow.id)", workflow.steps.compactMap { tool.action($0.action) }.flatMap(\.parameters)))
        }
        var specs = [ParameterSpec]()
        for (_, taken) in choices {
            for spec in taken where !specs.contains(where: { $0.name == spec.name }) { specs.append(spec) }
        }
        return .fieldset(
            .element(named: "legend", text: "Parameters"),
            .if(specs.isEmpty, .p(.class("muted"), .text("This tool takes no parameters."))),
            .forEach(specs) { spec in
                let stored = model.storedSecrets.contains(spec.name)
                return .group(
                    JobFields.parameter(
                        spec, value: model.run.parameters[spec.name], stored: stored,
                        usedBy: choices.filter { $0.1.contains { $0.name == spec.name } }.map(\.0),
                        requiredNow: spec.required && spec.defaultValue == nil, idPrefix: "param"),
                    .if(
                        stored,
                        .label(
                            .class("inline forget"),
                            .input(.type(.checkbox), .name("forget[]"), .attribute(.value, spec.name)),
                            .text(" forget the stored value of \(spec.name)"))))
            })
    }

    private static func overridable(_ model: JobFormModel) -> Node<HTML.FormContext> {
        let options: [(JobOverride, String)] = [
            (.parameters, "parameters: any value, each run"),
            (.targets, "targets: the targets, groups and selector"),
            (.limits, "limits: max concurrency and max errors"),
        ]
        return .fieldset(
            .element(named: "legend", text: "Runners may change"),
            .p(
                .class("muted"),
                .text(
                    "Nothing ticked: the job runs exactly as saved. Secret parameters it stores no value for are "
                        + "always asked for.")),
            .forEach(options) { option, text in
                .div(
                    .class("choice"),
                    .input(
                        .type(.checkbox), .name("overridable[]"), .attribute(.id, "override-\(option.rawValue)"),
                        .attribute(.value, option.rawValue), .checked(model.overridable.contains(option.rawValue))),
                    .label(.attribute(.for, "override-\(option.rawValue)"), .text(" " + text)))
            })
    }

    /// `/jobs/new` without a tool: which tool the job runs.
    static func chooseTool(_ tools: [ToolDefinition], context: PageContext) -> HTML {
        Layout.page(
            title: "New job", context: context,
            content: .group(
                .h1("New job"),
                .form(
                    .method(.get), .action(SitePath.newJob), .class("card narrow-form"),
                    .label(.for("job-tool"), .text("Tool")),
                    .select(
                        .attribute(.id, "job-tool"), .attribute(.name, "tool"),
                        .forEach(tools) { tool in
                            .option(.attribute(.value, tool.id), .attribute(.label, "\(tool.name) (\(tool.id))"))
                        }),
                    .div(
                        .class("form-actions"),
                        .button(.type(.submit), .class("primary"), .id("choose-tool"), .text("Continue"))))
            ))
    }
}
