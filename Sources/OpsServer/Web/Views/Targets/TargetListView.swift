import Foundation
import OpsCore
import Plot

/// `/targets`: the inventory with search and filters, each target's last run and last connection test; operators
/// select several and run a tool on them.
enum TargetListView {
    struct Model {
        var targets: [Target]
        var groups: [String]
        var query: [String: String]
        var error: String?
        /// Each target's last run, by name.
        var lastRuns: [String: TargetActivity.RunOnTarget] = [:]
        /// Each target's last connection test, by target id.
        var checks: [UUID: TargetCheck] = [:]
        /// The catalog's tools (id, name), offered for the selected targets.
        var tools: [(id: String, name: String)] = []
    }

    static func render(_ model: Model, context: PageContext) -> HTML {
        let isAdmin = context.role == .admin
        let canRun = context.role?.allows(.operator) ?? false
        return Layout.page(
            title: "Targets", context: context,
            content: .group(
                .div(
                    .class("page-head"), .h1("Targets"),
                    .if(
                        isAdmin,
                        .a(.class("button primary"), .href(SitePath.newTarget), .text("Add target")))
                ),
                InventoryNav.render(current: SitePath.targets, role: context.role),
                filters(model),
                .unwrap(model.error) { .div(.class("flash flash-error"), .text($0)) },
                .p(.class("muted"), .id("target-count"), .text(Plural.count(model.targets.count, "target"))),
                .if(
                    model.targets.isEmpty,
                    .p(.text(isAdmin ? "No targets match. Add one or import an inventory." : "No targets match.")),
                    else: canRun
                        ? .form(
                            .id("target-selection"), .action(SitePath.targetSelection), .method(.post),
                            CSRFField.node(context.csrfToken ?? ""),
                            table(model, selectable: true),
                            runOnSelected(model))
                        : table(model, selectable: false))
            ))
    }

    private static func filters(_ model: Model) -> Node<HTML.BodyContext> {
        .form(
            .action(SitePath.targets), .method(.get), .class("filters"),
            .label(.for("f-q"), .text("Search")),
            .input(
                .type(.search), .id("f-q"), .name("q"), .attribute(.value, model.query["q"] ?? ""),
                .placeholder("name or address")),
            .label(.for("f-selector"), .text("Tags")),
            .input(
                .type(.text), .id("f-selector"), .name("selector"),
                .attribute(.value, model.query["selector"] ?? ""),
                .placeholder("env=prod,role=web")),
            .label(.for("f-group"), .text("Group")),
            InventoryNav.select(
                id: "f-group", name: "group", values: model.groups, selected: model.query["group"], empty: "any"),
            .label(.for("f-os"), .text("OS")),
            InventoryNav.select(
                id: "f-os", name: "os", values: OSFamily.allCases.map(\.rawValue), selected: model.query["os"],
                empty: "any"),
            .label(.for("f-transport"), .text("Transport")),
            InventoryNav.select(
                id: "f-transport", name: "transport", values: TransportKind.allCases.map(\.rawValue),
                selected: model.query["transport"], empty: "any"),
            .button(.type(.submit), .text("Filter"))
        )
    }

    /// The tool to run on the ticked targets: the form then opens with them selected.
    private static func runOnSelected(_ model: Model) -> Node<HTML.FormContext> {
        .div(
            .class("run-actions"),
            .label(.for("selection-tool"), .text("Tool")),
            .select(
                .id("selection-tool"), .attribute(named: "name", value: "tool"),
                .forEach(model.tools) {
                    .option(.attribute(.value, $0.id), .attribute(.label, "\($0.name) (\($0.id))"))
                }
            ),
            .button(
                .type(.submit), .class("primary"), .id("run-on-selected"), .text("Run a tool on selected")),
            .span(.class("muted selection-count"), .attribute(.data("count-for"), "targets[]"), .text("")))
    }

    /// The table on its own (viewers) or inside the selection form (operators).
    private static func table<Context: HTML.BodyContext>(_ model: Model, selectable: Bool) -> Node<Context> {
        .div(
            .class("table-wrap"),
            .table(
                .id("targets"),
                .thead(
                    .tr(
                        .if(
                            selectable,
                            .th(
                                .input(
                                    .type(.checkbox), .id("select-all-targets"),
                                    .attribute(named: "data-select-all", value: "targets[]"),
                                    .attribute(named: "aria-label", value: "Select every target shown")))),
                        .th("Name"), .th("Address"), .th("Transport"), .th("OS"), .th("Tags"), .th("Credential"),
                        .th("Last run"), .th("Connection test"), .th("Source"))),
                .tbody(
                    .forEach(model.targets) { target in
                        row(target, model: model, selectable: selectable)
                    })
            ))
    }

    private static func row(_ target: Target, model: Model, selectable: Bool) -> Node<HTML.TableContext> {
        let credential =
            target.$credential.value??.name ?? TargetDisplay.credentialNotNeeded(transport: target.transport) ?? "—"
        return .tr(
            .attribute(.data("target"), target.name),
            .if(
                selectable,
                .td(
                    .input(
                        .type(.checkbox), .name("targets[]"), .attribute(.value, target.name),
                        .attribute(.id, "select-\(target.name)"),
                        .attribute(named: "aria-label", value: "Select")))),
            .td(.a(.attribute(.href, SitePath.target(target.name)), .text(target.name))),
            .td(.text(TargetDisplay.address(target.address, port: target.port, transport: target.transport))),
            .td(
                .text(target.transport),
                .if(
                    target.tlsVerify == false,
                    .span(.class("badge badge-warning"), .text("TLS unverified"))),
                .if(
                    target.hostKeyPolicy == "accept-new",
                    .span(.class("badge badge-warning"), .text("accept-new")))),
            .td(.text(target.os)),
            .td(.class("tags"), .text(InventoryNav.tagText(target.tags))),
            .td(.text(credential)),
            .td(
                .class("last-run"),
                .unwrap(
                    model.lastRuns[target.name],
                    { run in
                        .group(
                            .a(.class("run-id"), .attribute(.href, SitePath.run(run.runID)), .code(.text(run.runID))),
                            .text(" "), TargetDisplay.outcome(run))
                    }, else: .span(.class("muted"), .text("never run")))),
            .td(.class("last-check-cell"), TargetDisplay.check(target.id.flatMap { model.checks[$0] })),
            .td(.text(target.source)))
    }
}
