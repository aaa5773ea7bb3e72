import Foundation
import OpsAWS
import Plot

/// `/aws/instances`: pick environment, accounts, regions and filters (a GET form, so a search is a link);
/// the instances found, a page at a time, with their SSM status; select some to sync them as targets or to run
/// a tool on them.
enum AWSInstancesView {
    struct Model {
        var query: EC2InstanceQuery
        var accounts: [AWSAccount]
        var rows: [EC2InstanceRow]
        var page: Int
        var pageSize: Int
        var errors: [String]
        var tools: [(id: String, name: String)]
        var searched: Bool
        /// Account and region pairs searched, and how many of them failed (their errors are in `errors`).
        var scopeCount = 0
        var failedScopes = 0
    }

    static func render(_ model: Model, context: PageContext, error: String?) -> HTML {
        let csrf = context.csrfToken ?? ""
        let isAdmin = context.role == .admin
        let canOperate = context.role.map { $0.allows(.operator) } ?? false
        // Only admins see the server's file paths in AWS errors (they fix the setup); everyone else sees them hidden.
        func readable(_ text: String) -> String { ServerPathRedaction.shown(text, to: context.role) }
        let errors = model.errors.map(readable)
        let error = error.map(readable)
        let start = min(model.page * model.pageSize, model.rows.count)
        let shown = Array(model.rows[start..<min(start + model.pageSize, model.rows.count)])
        return Layout.page(
            title: "EC2 instances", context: context,
            content: .group(
                Breadcrumbs.render([.init("AWS", SitePath.aws), .init("EC2 instances")]),
                .h1("EC2 instances"),
                .unwrap(error) { .div(.class("flash flash-error"), .id("instances-error"), .text($0)) },
                searchForm(model),
                .forEach(errors) { .div(.class("flash flash-error scope-error"), .text($0)) },
                .if(
                    model.searched,
                    .if(
                        model.rows.isEmpty, noInstances(model),
                        else: .form(
                            .attribute(.action, SitePath.awsInstances + "/selection"), .method(.post),
                            CSRFField.node(csrf),
                            .div(
                                .id("instance-count"), .class("muted"),
                                .text(
                                    "\(model.rows.count) instance(s); showing \(start + 1)–\(start + shown.count).")),
                            table(shown),
                            pager(model),
                            actions(model, isAdmin: isAdmin, canOperate: canOperate))))
            ))
    }

    /// An empty result: "No instances match." only when every account and region answered; when some failed (no
    /// credentials, access denied) it says the search is incomplete, and when all failed, that nothing was listed.
    private static func noInstances(_ model: Model) -> Node<HTML.BodyContext> {
        let failed = model.failedScopes
        if failed == 0 { return .p(.id("no-instances"), .text("No instances match.")) }
        if failed >= model.scopeCount {
            return .p(
                .id("no-instances"), .class("muted"),
                .text("No instances could be listed: the search failed in every account and region (see above)."))
        }
        return .p(
            .id("no-instances"), .class("muted"),
            .text(
                "No instances match in the accounts and regions that answered; \(failed) of \(model.scopeCount) "
                    + "failed (see above), so instances there are not counted."))
    }

    private static func searchForm(_ model: Model) -> Node<HTML.BodyContext> {
        let query = model.query
        let accounts = model.accounts.filter { $0.environment == query.environment.name }
        return .form(
            .action(SitePath.awsInstances), .method(.get), .class("filters instance-search"),
            .input(.type(.hidden), .name("search"), .value("1")),
            .label(.for("i-env"), .text("Environment")),
            InventoryNav.select(
                id: "i-env", name: "environment", values: ["com", "gov"], selected: query.environment.name),
            .fieldset(
                .element(named: "legend", text: "Accounts"),
                .if(accounts.isEmpty, .span(.class("muted"), .text("the credentials' own account"))),
                .forEach(accounts) { account in
                    .label(
                        .class("checkbox"),
                        .input(
                            .type(.checkbox), .name("account"), .attribute(.value, account.accountID),
                            .checked(query.accounts.contains(account.accountID))),
                        .text(" \(account.name) (\(account.accountID))"))
                }),
            .fieldset(
                .element(named: "legend", text: "Regions"),
                .forEach(query.environment.regions) { region in
                    .label(
                        .class("checkbox"),
                        .input(
                            .type(.checkbox), .name("region"), .attribute(.value, region),
                            .checked(query.regions.contains(region))),
                        .text(" \(region)"))
                }),
            .label(.for("i-state"), .text("State")),
            InventoryNav.select(
                id: "i-state", name: "state", values: EC2InstanceQuery.states, selected: query.state, empty: "any"),
            .label(.for("i-tag"), .text("Tag (Key=Value)")),
            .input(.type(.text), .id("i-tag"), .name("tag"), .attribute(.value, query.tag ?? "")),
            .label(.for("i-name"), .text("Name contains")),
            .input(.type(.search), .id("i-name"), .name("name"), .attribute(.value, query.name ?? "")),
            .label(.for("i-id"), .text("Instance id")),
            .input(
                .type(.text), .id("i-id"), .name("instance_id"),
                .attribute(.value, query.instanceIDs.joined(separator: ","))),
            .button(.type(.submit), .class("primary"), .text("Search"))
        )
    }

    private static func table(_ rows: [EC2InstanceRow]) -> Node<HTML.FormContext> {
        .div(
            .class("table-wrap"),
            .table(
                .id("instances"),
                .thead(
                    .tr(
                        .th(""), .th("Name"), .th("Instance"), .th("State"), .th("Platform"), .th("Private IP"),
                        .th("Account"), .th("Region"), .th("SSM"), .th("Tags"), .th("Target"))),
                .tbody(
                    .forEach(rows) { row in
                        .tr(
                            .td(
                                .input(
                                    .type(.checkbox), .name("selected[]"), .class("pick"),
                                    .attribute(
                                        .value, "\(row.environment)|\(row.account)|\(row.region)|\(row.instanceID)"))),
                            .td(.text(row.name ?? "")), .td(.code(.text(row.instanceID))),
                            .td(.span(.attribute(.class, "badge state-\(row.state)"), .text(row.state))),
                            .td(.text(row.platformDetails ?? row.platform)), .td(.text(row.privateIP ?? "")),
                            .td(.code(.text(row.account))), .td(.text(row.region)),
                            .td(ssmBadge(row.ssmPing)),
                            .td(
                                .class("tags"),
                                .text(
                                    row.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                                        separator: ", "))),
                            .td(.unwrap(row.target) { .a(.attribute(.href, SitePath.target($0)), .text($0)) })
                        )
                    })))
    }

    static func ssmBadge(_ ping: String?) -> Node<HTML.BodyContext> {
        switch ping {
        case "Online": .span(.class("badge status-succeeded"), .text("Online"))
        case .some(let other): .span(.class("badge status-failed"), .text(other))
        case nil: .span(.class("badge status-cancelled"), .text("not managed"))
        }
    }

    private static func pager(_ model: Model) -> Node<HTML.FormContext> {
        let pages = (model.rows.count + model.pageSize - 1) / model.pageSize
        guard pages > 1 else { return .empty }
        return .div(
            .class("pager"),
            .if(model.page > 0, .a(.attribute(.href, pageLink(model, model.page - 1)), .text("← previous"))),
            .text(" page \(model.page + 1) of \(pages) "),
            .if(
                model.page + 1 < pages,
                .a(.attribute(.href, pageLink(model, model.page + 1)), .id("next-page"), .text("next →"))))
    }

    static func pageLink(_ model: Model, _ page: Int) -> String {
        var items = [
            URLQueryItem(name: "search", value: "1"),
            URLQueryItem(name: "environment", value: model.query.environment.name),
        ]
        items += model.query.accounts.map { URLQueryItem(name: "account", value: $0) }
        items += model.query.regions.map { URLQueryItem(name: "region", value: $0) }
        if let state = model.query.state { items.append(URLQueryItem(name: "state", value: state)) }
        if let tag = model.query.tag { items.append(URLQueryItem(name: "tag", value: tag)) }
        if let name = model.query.name { items.append(URLQueryItem(name: "name", value: name)) }
        if !model.query.instanceIDs.isEmpty {
            items.append(URLQueryItem(name: "instance_id", value: model.query.instanceIDs.joined(separator: ",")))
        }
        items.append(URLQueryItem(name: "page", value: String(page + 1)))
        var components = URLComponents()
        components.path = SitePath.awsInstances
        components.queryItems = items
        return components.string ?? SitePath.awsInstances
    }

    private static func actions(_ model: Model, isAdmin: Bool, canOperate: Bool) -> Node<HTML.FormContext> {
        .div(
            .class("run-actions"),
            .if(isAdmin, .button(.type(.submit), .name("action"), .value("sync"), .text("Sync selected as targets"))),
            .if(
                canOperate,
                .group(
                    .label(.for("i-tool"), .text("Tool")),
                    .select(
                        .id("i-tool"), .attribute(named: "name", value: "tool"),
                        .forEach(model.tools) {
                            .option(.attribute(.value, $0.id), .attribute(.label, "\($0.name) (\($0.id))"))
                        }),
                    .button(
                        .type(.submit), .name("action"), .value("run"), .class("primary"),
                        .text("Run a tool on selected"))
                )))
    }
}
