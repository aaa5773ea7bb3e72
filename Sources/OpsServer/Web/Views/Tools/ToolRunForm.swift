import Foundation
import OpsCore
import Plot

/// What the run form on a tool page holds: the choices offered and what was entered.
struct ToolRunFormModel {
    struct TargetRow {
        var name: String
        var address: String
        var port: Int
        var os: String
        var transport: String
        var credential: String
        var tags: [String: String]
        var groups: [String]
    }

    var targets: [TargetRow]
    var groups: [String]
    /// `action:ID` or `workflow:ID`.
    var choice: String
    var parameters: [String: String] = [:]
    var selectedTargets: Set<String> = []
    var selectedGroups: Set<String> = []
    var selector = ""
    var maxConcurrency = ""
    var maxErrors = ""
    var error: String?
    /// The run this form was filled in from ("Run again…"); the new run records it as `rerun_of`.
    var rerunOf: String?
}

/// The run form (operators): action or workflow, generated parameter fields, target picker, limits,
/// and Preview / Run buttons. Works without JavaScript; `tool-form.js` adds filtering and counts.
enum ToolRunForm {
    static func render(_ tool: ToolDefinition, _ model: ToolRunFormModel, csrf: String) -> Node<HTML.BodyContext> {
        .form(
            .id("run-form"), .class("card run-form"), .method(.post),
            .attribute(.action, SitePath.tool(tool.id) + "/run"),
            CSRFField.node(csrf),
            .h2("Run"),
            .unwrap(model.error) { .div(.class("flash flash-error"), .id("run-error"), .text($0)) },
            RunAgainNote.node(model.rerunOf),
            .fieldset(
                .element(named: "legend", text: "What"),
                .forEach(tool.actions) { action in
                    choice(
                        "action:\(action.id)", "\(action.name) (\(action.id))", destructive: action.destructive, model)
                },
                .forEach(tool.workflows) { workflow in
                    let destructive = workflow.steps.contains { tool.action($0.action)?.destructive == true }
                    return choice(
                        "workflow:\(workflow.id)", "Workflow: \(workflow.name)", destructive: destructive, model)
                }),
            parameters(tool, model),
            targetPicker(tool, model),
            .fieldset(
                .class("limits"),
                .element(named: "legend", text: "Limits"),
                .div(
                    .class("limit"),
                    .label(.for("max-concurrency"), .text("Max concurrency")),
                    .input(
                        .type(.text), .id("max-concurrency"), .name("max_concurrency"),
                        .attribute(.value, model.maxConcurrency), .attribute(named: "pattern", value: "[0-9]+%?"),
                        .attribute(.placeholder, "50")),
                    .span(.class("muted"), .text("N or N%, default 50"))),
                .div(
                    .class("limit"),
                    .label(.for("max-errors"), .text("Max errors")),
                    .input(
                        .type(.text), .id("max-errors"), .name("max_errors"), .attribute(.value, model.maxErrors),
                        .attribute(named: "pattern", value: "[0-9]+%?")),
                    .span(.class("muted"), .text("N or N%; default 0 for destructive actions, else none")))),
            .p(.id("match-count"), .class("match-count muted"), .attribute(named: "aria-live", value: "polite")),
            .div(
                .class("form-actions"),
                .button(.type(.submit), .name("intent"), .value("preview"), .id("preview-button"), .text("Preview")),
                .button(
                    .type(.submit), .name("intent"), .value("run"), .class("primary"), .id("run-button"), .text("Run")))
        )
    }

    static func choice(_ value: String, _ label: String, destructive: Bool, _ model: ToolRunFormModel)
        -> Node<HTML.FormContext>
    {
        let id = "choice-" + value.replacingOccurrences(of: ":", with: "-")
        return .div(
            .class("choice"),
            .input(
                .type(.radio), .name("run"), .attribute(.id, id), .attribute(.value, value),
                .checked(model.choice == value)),
            .label(
                .attribute(.for, id), .text(label),
                .if(destructive, .span(.class("badge status-failed"), .text("destructive")))))
    }

    private static func parameters(_ tool: ToolDefinition, _ model: ToolRunFormModel) -> Node<HTML.FormContext> {
        var specs = tool.parameters
        for action in tool.actions {
            for spec in action.parameters where !specs.contains(where: { $0.name == spec.name }) { specs.append(spec) }
        }
        // Which choices take each parameter: tool-form.js shows (and sends) only the chosen one's.
        var choices = [(String, [String])]()
        for action in tool.actions { choices.append(("action:\(action.id)", action.parameters.map(\.name))) }
        for workflow in tool.workflows {
            let names = workflow.steps.compactMap { tool.action($0.action) }.flatMap { $0.parameters.map(\.name) }
            choices.append(("workflow:\(workflow.id)", names))
        }
        return .fieldset(
            .element(named: "legend", text: "Parameters"),
            .if(specs.isEmpty, .p(.class("muted"), .text("This tool takes no parameters."))),
            .forEach(specs) { spec in
                let users = choices.filter { $0.1.contains(spec.name) }.map(\.0)
                return field(
                    spec, value: model.parameters[spec.name], usedBy: users,
                    alwaysNeeded: users.count == choices.count)
            })
    }

    private static func field(_ spec: ParameterSpec, value: String?, usedBy: [String], alwaysNeeded: Bool)
        -> Node<HTML.FormContext>
    {
        let id = "param-\(spec.name)"
        let name = "params[\(spec.name)]"
        let required = spec.required && spec.defaultValue == nil
        let label = Node<HTML.FormContext>.label(
            .attribute(.for, id), .code(.text(spec.name)), .text(required ? " (required)" : ""),
            .unwrap(spec.help) { .span(.class("muted"), .text(" — " + $0)) })
        let control: Node<HTML.FormContext>
        switch spec.type {
        case .enum:
            control = .select(
                .attribute(.id, id), .attribute(.name, name),
                .option(.value(""), .attribute(.label, "default\(spec.defaultValue.map { " (\($0))" } ?? "")")),
                .forEach(spec.values) { option in
                    .option(
                        .attribute(.value, option), .attribute(.label, option), .isSelected(value == option))
                })
        case .bool:
            control = .select(
                .attribute(.id, id), .attribute(.name, name),
                .option(.value(""), .attribute(.label, "default\(spec.defaultValue.map { " (\($0))" } ?? "")")),
                .option(.value("true"), .label("true"), .isSelected(value == "true")),
                .option(.value("false"), .label("false"), .isSelected(value == "false")))
        case .int:
            control = .input(
                .type(.number), .attribute(.id, id), .attribute(.name, name),
                .attribute(.value, value ?? ""), .attribute(.placeholder, spec.defaultValue ?? ""),
                .unwrap(spec.min) { .attribute(.min, String($0)) },
                .unwrap(spec.max) { .attribute(.max, String($0)) },
                .required(required && alwaysNeeded))
        case .string:
            control = .input(
                .type(spec.secret ? .password : .text), .attribute(.id, id), .attribute(.name, name),
                .attribute(.value, spec.secret ? "" : value ?? ""),
                .attribute(.placeholder, spec.secret ? "" : spec.defaultValue ?? ""),
                .unwrap(spec.pattern.flatMap { BrowserPattern.convert($0).attribute }) { .attribute(.pattern, $0) },
                .unwrap(spec.maxLength) { .attribute(.maxlength, String($0)) },
                .attribute(named: "autocomplete", value: "off"),
                .required(required && alwaysNeeded))
        }
        return .div(
            .class("param"), .attribute(.data("for"), usedBy.joined(separator: " ")),
            .attribute(.data("required"), required ? "true" : "false"), label, control)
    }

    static func targetPicker(_ tool: ToolDefinition, _ model: ToolRunFormModel) -> Node<HTML.FormContext> {
        let osValues = Array(Set(model.targets.map(\.os))).sorted()
        let transports = Array(Set(model.targets.map(\.transport))).sorted()
        return .fieldset(
            .element(named: "legend", text: "Targets"),
            .div(
                .class("picker-filters"),
                .label(.for("pick-q"), .text("Search")),
                .input(.type(.search), .id("pick-q"), .placeholder("name, address or tag")),
                .label(.for("pick-group"), .text("Group")),
                InventoryNav.select(id: "pick-group", name: "", values: model.groups, selected: nil, empty: "any"),
                .label(.for("pick-os"), .text("OS")),
                InventoryNav.select(id: "pick-os", name: "", values: osValues, selected: nil, empty: "any"),
                .label(.for("pick-transport"), .text("Transport")),
                InventoryNav.select(id: "pick-transport", name: "", values: transports, selected: nil, empty: "any"),
                .button(.type(.button), .id("pick-all"), .text("Select all shown")),
                .button(.type(.button), .id("pick-none"), .text("Clear")),
                .span(.id("pick-count"), .class("muted"), .text("\(model.selectedTargets.count) selected"))),
            .div(
                .class("table-wrap picker"),
                .table(
                    .thead(
                        .tr(
                            .th(""), .th("Target"), .th("Address"), .th("OS"), .th("Transport"), .th("Credential"),
                            .th("Tags"))),
                    .tbody(
                        .forEach(model.targets) { target in
                            let fits = tool.platforms.isEmpty || tool.platforms.contains(target.os)
                            let id = "pick-\(target.name)"
                            return .tr(
                                .attribute(.class, fits ? "pick-row" : "pick-row unfit"),
                                .attribute(.data("name"), target.name),
                                .attribute(
                                    .data("text"),
                                    "\(target.name) \(target.address) \(InventoryNav.tagText(target.tags))"
                                        .lowercased()),
                                .attribute(.data("groups"), target.groups.joined(separator: ",")),
                                .attribute(.data("os"), target.os),
                                .attribute(.data("transport"), target.transport),
                                .attribute(
                                    .data("tags"),
                                    target.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                                        separator: "\n")),
                                .td(
                                    .input(
                                        .type(.checkbox), .name("targets[]"), .attribute(.id, id),
                                        .attribute(.value, target.name),
                                        .checked(model.selectedTargets.contains(target.name)),
                                        .disabled(!fits))),
                                .td(.label(.attribute(.for, id), .text(target.name))),
                                .td(
                                    .text(
                                        TargetDisplay.address(
                                            target.address, port: target.port, transport: target.transport))),
                                .td(
                                    .text(
                                        target.os + (fits ? "" : " (tool is \(tool.platforms.joined(separator: "/")))"))
                                ),
                                .td(.text(target.transport)),
                                credentialCell(target),
                                .td(.class("tags"), .text(InventoryNav.tagText(target.tags))))
                        }))),
            .if(
                !model.groups.isEmpty,
                .div(
                    .class("group-picks"),
                    .span(.text("Whole groups: ")),
                    .forEach(model.groups) { group in
                        .label(
                            .class("inline"),
                            .input(
                                .type(.checkbox), .name("groups[]"), .attribute(.value, group),
                                .checked(model.selectedGroups.contains(group))),
                            .text(" \(group) "))
                    })),
            .label(.for("run-selector"), .text("And/or targets whose tags match")),
            .input(
                .type(.text), .id("run-selector"), .name("selector"), .attribute(.value, model.selector),
                .placeholder("env=prod,role=web")))
    }

    /// The credential a target signs in with; a local target needs none (not flagged as missing).
    private static func credentialCell(_ target: ToolRunFormModel.TargetRow) -> Node<HTML.TableRowContext> {
        if target.transport == "local", let notNeeded = TargetDisplay.credentialNotNeeded(transport: target.transport) {
            return .td(.class("muted"), .text(notNeeded))
        }
        return .td(
            .attribute(.class, target.credential.isEmpty ? "bad" : ""),
            .text(target.credential.isEmpty ? "none" : target.credential))
    }
}
