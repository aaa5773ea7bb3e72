import OpsCore
import Plot

/// `/inventory/groups` and `/inventory/groups/{name}`.
enum GroupViews {
    static func list(_ groups: [TargetGroup], credentials: [String], context: PageContext, error: String?) -> HTML {
        let csrf = context.csrfToken ?? ""
        return Layout.page(
            title: "Groups", context: context,
            content: .group(
                .h1("Groups"),
                InventoryNav.render(current: SitePath.groups, role: context.role),
                .unwrap(error) { .div(.class("flash flash-error"), .text($0)) },
                .if(
                    groups.isEmpty, .p(.class("muted"), .text("No groups yet.")),
                    else: .div(
                        .class("table-wrap"),
                        .table(
                            .thead(
                                .tr(
                                    .th("Name"), .th("Selector"), .th("Static members"), .th("Credential"),
                                    .th("Description"))),
                            .tbody(
                                .forEach(groups) { group in
                                    .tr(
                                        .td(
                                            .a(.attribute(.href, SitePath.group(group.name)), .text(group.name))),
                                        .td(.code(.text(group.selector ?? "—"))),
                                        .td(.text(String(group.members.count))),
                                        .td(.text(group.credential?.name ?? "—")),
                                        .td(.text(group.groupDescription ?? "")))
                                })))),
                .if(
                    context.role == .admin,
                    .group(
                        .h2("Add a group"),
                        form(
                            action: SitePath.groups, name: nil, description: "", selector: "", credential: "",
                            credentials: credentials, csrf: csrf)
                    ))
            ))
    }

    static func detail(
        _ group: TargetGroup, members: [Target], staticMembers: [String], allTargets: [String], credentials: [String],
        tests: [ConnectionTestResult], context: PageContext, error: String?
    ) -> HTML {
        let csrf = context.csrfToken ?? ""
        let canTest = context.role.map { $0.allows(.operator) } ?? false
        return Layout.page(
            title: group.name, context: context,
            content: .group(
                .h1(.text("Group \(group.name)")),
                InventoryNav.render(current: "", role: context.role),
                .unwrap(error) { .div(.class("flash flash-error"), .text($0)) },
                .p(.text(group.groupDescription ?? "")),
                .p(
                    .text("Selector: "), .code(.text(group.selector ?? "none")),
                    .text(" · credential: \(group.credential?.name ?? "none")")),
                .if(
                    !tests.isEmpty, .group(.h2("Connection tests"), .forEach(tests) { TargetDetailView.testResult($0) })
                ),
                .h2(.text("Members (\(members.count))")),
                .ul(
                    .forEach(members) { target in
                        .li(
                            .a(.attribute(.href, SitePath.target(target.name)), .text(target.name)),
                            .if(!staticMembers.contains(target.name), .span(.class("muted"), .text(" (by selector)"))))
                    }),
                .if(
                    canTest && !members.isEmpty,
                    .form(
                        .class("inline"), .attribute(.action, SitePath.group(group.name) + "/test"),
                        .method(.post),
                        CSRFField.node(csrf),
                        .button(.type(.submit), .class("primary"), .text("Test all connections")))),
                .if(
                    context.role == .admin,
                    .group(
                        .h2("Edit"),
                        form(
                            action: SitePath.group(group.name), name: group.name,
                            description: group.groupDescription ?? "",
                            selector: group.selector ?? "", credential: group.credential?.name ?? "",
                            credentials: credentials,
                            csrf: csrf, members: staticMembers, allTargets: allTargets),
                        .form(
                            .class("inline"), .attribute(.action, SitePath.group(group.name) + "/delete"),
                            .method(.post),
                            CSRFField.node(csrf),
                            .button(
                                .type(.submit), .class("danger"),
                                .attribute(.data("confirm"), "Delete the group \(group.name)?"),
                                .text("Delete group")))
                    ))
            ))
    }

    private static func form(
        action: String, name: String?, description: String, selector: String, credential: String, credentials: [String],
        csrf: String, members: [String] = [], allTargets: [String]? = nil
    ) -> Node<HTML.BodyContext> {
        .form(
            .attribute(.action, action), .method(.post), .class("stacked narrow-form"),
            CSRFField.node(csrf),
            .if(
                name == nil,
                .group(
                    .label(.for("g-name"), .text("Name")),
                    .input(.type(.text), .id("g-name"), .name("name"), .required(true)))),
            .label(.for("g-description"), .text("Description")),
            .input(.type(.text), .id("g-description"), .name("description"), .attribute(.value, description)),
            .label(.for("g-selector"), .text("Tag selector (members by tag, e.g. env=prod,role=web)")),
            .input(.type(.text), .id("g-selector"), .name("selector"), .attribute(.value, selector)),
            .label(.for("g-credential"), .text("Credential for members without one")),
            InventoryNav.select(
                id: "g-credential", name: "credential", values: credentials, selected: credential, empty: "none"),
            .unwrap(allTargets) { targets in
                .group(
                    .label(.for("g-members"), .text("Static members")),
                    .select(
                        .id("g-members"), .attribute(named: "name", value: "members[]"),
                        .attribute(named: "multiple", value: "multiple"),
                        .attribute(.size, String(min(12, max(4, targets.count)))),
                        .forEach(targets) { target in
                            .option(
                                .attribute(.value, target), .attribute(.label, target),
                                .isSelected(members.contains(target)))
                        }))
            },
            .button(.type(.submit), .class("primary"), .text(name == nil ? "Add group" : "Save group"))
        )
    }
}
