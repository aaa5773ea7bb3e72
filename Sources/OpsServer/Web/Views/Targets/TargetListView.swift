import OpsCore
import Plot

/// `/targets`: the inventory with search and filters.
enum TargetListView {
    struct Model {
        var targets: [Target]
        var groups: [String]
        var query: [String: String]
        var error: String?
    }

    static func render(_ model: Model, context: PageContext) -> HTML {
        let isAdmin = context.role == .admin
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
                .p(.class("muted"), .text(Plural.count(model.targets.count, "target"))),
                .if(
                    model.targets.isEmpty,
                    .p(.text(isAdmin ? "No targets match. Add one or import an inventory." : "No targets match.")),
                    else: table(model.targets))
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

    private static func table(_ targets: [Target]) -> Node<HTML.BodyContext> {
        .div(
            .class("table-wrap"),
            .table(
                .thead(
                    .tr(
                        .th("Name"), .th("Address"), .th("Transport"), .th("OS"), .th("Tags"), .th("Credential"),
                        .th("Source"))),
                .tbody(
                    .forEach(targets) { target in
                        .tr(
                            .td(.a(.attribute(.href, SitePath.target(target.name)), .text(target.name))),
                            .td(.text(target.port > 0 ? "\(target.address):\(target.port)" : target.address)),
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
                            .td(.text(target.$credential.value??.name ?? "—")), .td(.text(target.source)))
                    })
            ))
    }
}
