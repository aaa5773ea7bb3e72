import OpsCore
import Plot

/// `/tools` and `/tools/{id}`: the catalog of pre-approved tools, read-only.
enum ToolViews {
    static func list(_ tools: [ToolDefinition], query: String, context: PageContext) -> HTML {
        let categories = Dictionary(grouping: tools, by: \.category).sorted { $0.key < $1.key }
        return Layout.page(
            title: "Tools", context: context,
            content: .group(
                .div(
                    .class("page-head"), .h1("Tools"),
                    .if(
                        context.role == .admin,
                        .form(
                            .class("inline"), .action("/tools/reload"), .method(.post),
                            CSRFField.node(context.csrfToken ?? ""),
                            .button(.type(.submit), .text("Reload catalog"))))),
                .form(
                    .action(SitePath.tools), .method(.get), .class("filters"),
                    .label(.for("tool-q"), .text("Search")),
                    .input(.type(.search), .id("tool-q"), .name("q"), .attribute(.value, query)),
                    .button(.type(.submit), .text("Search"))),
                .if(tools.isEmpty, .p(.text("No tool matches."))),
                .forEach(categories) { category, members in
                    .group(
                        .h2(.text(category)),
                        .div(
                            .class("tiles"),
                            .forEach(members) { tool in
                                .a(
                                    .class("tile"), .attribute(.href, "/tools/" + tool.id),
                                    .strong(.text(tool.name)),
                                    .span(.text(tool.description)),
                                    .span(
                                        .class("muted"),
                                        .text(
                                            Plural.count(tool.actions.count, "action") + " · "
                                                + Plural.count(tool.workflows.count, "workflow") + " · "
                                                + tool.platforms.joined(separator: ", ")
                                                + (tool.hasDestructiveActions ? " · has destructive actions" : ""))))
                            }))
                }
            ))
    }

    static func detail(_ tool: ToolDefinition, form: ToolRunFormModel?, context: PageContext) -> HTML {
        Layout.page(
            title: tool.name, context: context,
            content: .group(
                Breadcrumbs.render([.init("Tools", SitePath.tools), .init(tool.name)]),
                .h1(.text(tool.name)),
                .p(.text(tool.description)),
                .p(
                    .class("muted"),
                    .text("id \(tool.id) · \(tool.category) · \(tool.platforms.joined(separator: ", "))")),
                .unwrap(form) { ToolRunForm.render(tool, $0, csrf: context.csrfToken ?? "") },
                .if(!tool.workflows.isEmpty, .h2("Workflows")),
                .forEach(tool.workflows) { workflow in
                    .div(
                        .class("card"), .h3(.text("\(workflow.name) (\(workflow.id))")),
                        .unwrap(workflow.description) { .p(.text($0)) },
                        .ol(
                            .forEach(workflow.steps) { step in
                                .li(.text("\(step.action) — on failure: \(step.onFailure.rawValue)"))
                            }))
                },
                .h2("Actions"),
                .forEach(tool.actions) { action($0) }
            ),
            scripts: form == nil ? [] : ["/js/tool-form.js"])
    }

    private static func action(_ action: ActionDefinition) -> Node<HTML.BodyContext> {
        var flags = ["\(action.interpreter.rawValue)", "timeout \(action.timeout) s"]
        if action.requiresAdmin { flags.append("needs admin rights") }
        if action.destructive { flags.append("destructive: asks for confirmation") }
        if action.idempotent { flags.append("idempotent") }
        return .div(
            .class("card action"), .attribute(.id, "action-" + action.id),
            .h3(.text("\(action.name) (\(action.id))")),
            .unwrap(action.description) { .p(.text($0)) },
            .p(.class("muted"), .text(flags.joined(separator: " · "))),
            .if(
                !action.parameters.isEmpty,
                .div(
                    .class("table-wrap"),
                    .table(
                        .thead(.tr(.th("Parameter"), .th("Type"), .th("Rules"), .th("Help"))),
                        .tbody(.forEach(action.parameters) { parameter($0) })))),
            script(
                "Script (\(action.script.origin), SHA-256 \(RandomToken.sha256Hex(action.script.text).prefix(16))…)",
                action.script),
            .unwrap(action.validation) { script("Validation (\($0.origin))", $0) },
            .unwrap(action.rollback) { script("Rollback (\($0.origin))", $0) }
        )
    }

    private static func parameter(_ spec: ParameterSpec) -> Node<HTML.TableContext> {
        var rules = [String]()
        if spec.required { rules.append("required") }
        if let value = spec.defaultValue, !spec.secret { rules.append("default \(value)") }
        if let pattern = spec.pattern { rules.append("matches \(pattern)") }
        if let length = spec.maxLength { rules.append("at most \(length) characters") }
        if let min = spec.min { rules.append("≥ \(min)") }
        if let max = spec.max { rules.append("≤ \(max)") }
        if !spec.values.isEmpty { rules.append("one of " + spec.values.joined(separator: ", ")) }
        if spec.secret { rules.append("secret") }
        return .tr(
            .td(.code(.text(spec.name))), .td(.text(spec.type.rawValue)), .td(.text(rules.joined(separator: "; "))),
            .td(.text(spec.help ?? "")))
    }

    private static func script(_ title: String, _ source: ScriptSource) -> Node<HTML.BodyContext> {
        .element(
            named: "details",
            nodes: [
                .element(named: "summary", text: title),
                .element(named: "pre", nodes: [.code(.text(source.text))]),
            ])
    }
}
