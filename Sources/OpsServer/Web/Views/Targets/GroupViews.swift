import OpsCore
import Plot

/// `/inventory/groups` and `/inventory/groups/{name}`.
enum GroupViews {
    static func list(
        _ groups: [TargetGroup], memberships: [String: GroupMembership], credentials: [String], context: PageContext,
        error: String?
    ) -> HTML {
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
                                    .th("Name"), .th("Selector"), .th("Members"), .th("Credential"),
                                    .th("Description"))),
                            .tbody(
                                .forEach(groups) { group in
                                    .tr(
                                        .td(
                                            .a(.attribute(.href, SitePath.group(group.name)), .text(group.name))),
                                        .td(.code(.text(group.selector ?? "—"))),
                                        .td(
                                            .class("members"),
                                            .text(
                                                memberships[group.name]?.summary
                                                    ?? "\(group.members.count) static")),
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
        _ group: TargetGroup, members: [Target], staticMembers: [String], membership: GroupMembership,
        allTargets: [String], credentials: [String], tests: [ConnectionTestResult], context: PageContext,
        error: String?
    ) -> HTML {
        let csrf = context.csrfToken ?? ""
        let canTest = context.role.map { $0.allows(.operator) } ?? false
        return Layout.page(
            title: group.name, context: context,
            content: .group(
                Breadcrumbs.render([
                    .init("Targets", SitePath.targets), .init("Groups", SitePath.groups), .init(group.name),
                ]),
                .h1(.text("Group \(group.name)")),
                InventoryNav.render(current: "", role: context.role),
                .unwrap(error) { .div(.class("flash flash-error"), .text($0)) },
                .p(.text(group.groupDescription ?? "")),
                .p(
                    .id("group-selector"),
                    .unwrap(
                        group.selector.flatMap { $0.isEmpty ? nil : $0 },
                        {
                            .group(
                                .text("Selector "), .code(.text($0)),
                                .text(
                                    membership.selectorInvalid
                                        ? " is not valid and matches no target"
                                        : " matches \(membership.matched ?? 0) "
                                            + (membership.matched == 1 ? "target" : "targets")))
                        }, else: .text("No selector: members are added by hand")),
                    .text(" · credential for members without one: \(group.credential?.name ?? "none")")),
                .if(!tests.isEmpty, connectionTests(tests)),
                .h2(.text("Members: \(membership.summary)")),
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

    /// One result per target, each headed by the target it is about; failures first.
    private static func connectionTests(_ tests: [ConnectionTestResult]) -> Node<HTML.BodyContext> {
        let failed = tests.filter { !$0.ok }.count
        let ordered = tests.filter { !$0.ok } + tests.filter(\.ok)
        return .element(
            named: "section",
            nodes: [
                .id("group-tests"),
                .h2("Connection tests"),
                .p(
                    .attribute(.class, failed == 0 ? "flash flash-success" : "flash flash-error"),
                    .id("group-test-summary"),
                    .text(
                        failed == 0
                            ? "All \(tests.count) connections OK."
                            : "\(failed) of \(tests.count) connections failed.")),
                .forEach(ordered) { result in
                    .div(
                        .class("group-test"), .attribute(.data("target"), result.target),
                        .h3(.a(.attribute(.href, SitePath.target(result.target)), .text(result.target))),
                        TargetDetailView.testResult(result, id: nil))
                },
            ])
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
