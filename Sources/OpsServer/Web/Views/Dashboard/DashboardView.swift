import Foundation
import OpsCore
import Plot

/// The home page: what is running and what failed first (refreshed while runs are active), then getting started,
/// the inventory, the week's success rate; for admins only, the account and audit counters and the latest audit
/// entries.
enum DashboardView {
    static func render(_ model: DashboardModel, toolCount: Int, context: PageContext) -> HTML {
        Layout.page(
            title: "Dashboard", context: context,
            content: .group(
                .h1("Dashboard"),
                live(model),
                .unwrap(model.gettingStarted) { gettingStarted($0, role: context.role, csrf: context.csrfToken ?? "") },
                .div(
                    .class("stats"), .id("inventory-stats"),
                    stat(
                        "Targets", model.targets, link: SitePath.targets,
                        detail: (model.targetsByTransport.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                            + model.targetsByOS.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" })
                            .joined(separator: " · ").nonEmpty),
                    stat("Groups", model.groups, link: SitePath.groups),
                    stat("Tools", toolCount, link: SitePath.tools)
                ),
                successRates(model),
                .unwrap(model.admin) { admin($0) },
                .if(
                    model.gettingStartedDismissed,
                    .form(
                        .class("inline getting-started-again"), .action(SitePath.gettingStarted), .method(.post),
                        CSRFField.node(context.csrfToken ?? ""),
                        .input(.type(.hidden), .name("state"), .value("shown")),
                        .button(.type(.submit), .class("link-button"), .text("Show “Getting started” again"))))
            ),
            scripts: ["/js/dashboard.js"])
    }

    /// The part that refreshes itself while runs are active (`dashboard.js` fetches it from `/dashboard/live`):
    /// running now, and the week's failures.
    static func live(_ model: DashboardModel) -> Node<HTML.BodyContext> {
        .element(
            named: "section",
            nodes: [
                .id("dashboard-live"), .attribute(.data("active"), model.isActive ? "true" : "false"),
                .attribute(.data("source"), SitePath.dashboardLive),
                .div(
                    .class("section-head"),
                    .h2(.text(model.runningCount == 0 ? "Running now" : "Running now (\(model.runningCount))")),
                    .a(.attribute(.href, SitePath.runs + "?status=running"), .text("All running runs"))),
                .if(model.running.isEmpty, .p(.class("muted"), .id("nothing-running"), .text("Nothing is running."))),
                .if(!model.running.isEmpty, runTable(model.running, id: "running-now")),
                .if(
                    model.runningCount > model.running.count,
                    .p(.class("muted"), .text("The \(model.running.count) newest are shown."))),
                .if(
                    !model.recentFailures.isEmpty,
                    .group(
                        .div(
                            .class("section-head"),
                            .h2("Recent failures (7 days)"),
                            .a(.attribute(.href, SitePath.runs + "?status=failed"), .text("All failed runs"))),
                        runTable(model.recentFailures, id: "recent-failures"))),
            ])
    }

    private static func gettingStarted(_ list: DashboardModel.GettingStarted, role: Role?, csrf: String)
        -> Node<HTML.BodyContext>
    {
        let isAdmin = role == .admin
        let canRun = role?.allows(.operator) ?? false
        return .div(
            .class("card getting-started"), .id("getting-started"),
            .div(
                .class("section-head"),
                .h2("Getting started"),
                .form(
                    .class("inline"), .action(SitePath.gettingStarted), .method(.post),
                    CSRFField.node(csrf),
                    .input(.type(.hidden), .name("state"), .value("dismissed")),
                    .button(.type(.submit), .id("dismiss-getting-started"), .text("Dismiss")))),
            .ol(
                .class("steps"),
                step(
                    list.hasTargets, link: isAdmin ? SitePath.inventoryImport : SitePath.targets,
                    title: "Add targets",
                    about: isAdmin
                        ? ": import an Ansible or CSV inventory, discover EC2 instances or add hosts by hand."
                        : ": an admin imports an inventory or adds hosts; the targets page lists them."),
                step(
                    list.hasCredentials, link: isAdmin ? SitePath.credentials : SitePath.targets,
                    title: "Store credentials",
                    about: isAdmin
                        ? ": SSH keys or passwords and WinRM accounts, encrypted; then trust host keys and test connections."
                        : ": an admin stores the SSH and WinRM accounts targets sign in with."),
                step(
                    list.hasRuns, link: SitePath.tools, title: "Run a tool",
                    about: canRun
                        ? ": pick one from the catalog, preview the exact script, and run it on targets."
                        : ": operators run catalog tools; every run is listed under Runs, live while it goes on."),
                step(
                    list.hasToken, link: SitePath.accountTokens, title: "Create an API token",
                    about: " (optional): for the REST API and the CLI; the API is described under API docs.")
            ))
    }

    private static func step(_ done: Bool, link: String, title: String, about: String) -> Node<HTML.ListContext> {
        .li(
            .attribute(.class, done ? "step done" : "step"),
            .span(.class("step-mark"), .attribute(named: "aria-hidden", value: "true"), .text(done ? "✓" : "○")),
            .a(.attribute(.href, link), .text(title)),
            .text(about),
            .if(done, .span(.class("visually-hidden"), .text(" (done)"))))
    }

    private static func admin(_ counters: DashboardModel.AdminCounters) -> Node<HTML.BodyContext> {
        let users = counters.usersByRole.values.reduce(0, +)
        return .group(
            .h2("Administration"),
            .div(
                .class("stats"), .id("admin-stats"),
                stat(
                    "Active users", users, link: SitePath.adminUsers,
                    detail: Role.allCases.map { "\(counters.usersByRole[$0] ?? 0) \($0.rawValue)" }.joined(
                        separator: " · ")),
                stat("Disabled users", counters.disabledUsers, link: SitePath.adminUsers),
                stat("Signed-in sessions", counters.activeSessions, link: SitePath.adminUsers),
                stat("Active API tokens", counters.activeTokens, link: SitePath.adminTokens),
                stat("Audit events (24 h)", counters.auditLast24h, link: SitePath.adminAudit),
                stat(
                    "Failed sign-ins (24 h)", counters.failedLoginsLast24h,
                    link: SitePath.adminAudit + "?action=login.failure"),
                stat("Credentials", counters.credentials, link: SitePath.credentials),
                stat("Trusted host keys", counters.trustedHostKeys, link: SitePath.knownHosts)
            ),
            .if(
                !counters.recent.isEmpty,
                .group(
                    .h2("Recent activity"),
                    AuditTable.render(counters.recent),
                    .p(.a(.href(SitePath.adminAudit), .text("Full audit log")))
                ))
        )
    }

    private static func successRates(_ model: DashboardModel) -> Node<HTML.BodyContext> {
        .if(
            !model.successByTool.isEmpty,
            .group(
                .h2("Success rate per tool (7 days)"),
                .div(
                    .class("table-wrap"),
                    .table(
                        .id("success-by-tool"),
                        .thead(.tr(.th("Tool"), .th("Succeeded"), .th("Ended"), .th("Rate"))),
                        .tbody(
                            .forEach(model.successByTool) { entry in
                                .tr(
                                    .td(
                                        .a(
                                            .attribute(.href, SitePath.runs + "?tool=" + entry.tool),
                                            .text(entry.tool))),
                                    .td(.text(String(entry.succeeded))), .td(.text(String(entry.ended))),
                                    .td(
                                        .element(
                                            named: "meter",
                                            nodes: [
                                                .attribute(named: "min", value: "0"),
                                                .attribute(.max, String(max(1, entry.ended))),
                                                .attribute(.value, String(entry.succeeded)),
                                                .text("\(entry.succeeded)/\(entry.ended)"),
                                            ]),
                                        .text(" \(entry.ended == 0 ? 0 : entry.succeeded * 100 / entry.ended) %")))
                            })))))
    }

    private static func runTable(_ rows: [DashboardModel.RunRow], id: String) -> Node<HTML.BodyContext> {
        .div(
            .class("table-wrap"),
            .table(
                .attribute(.id, id),
                .thead(.tr(.th("Run"), .th("Tool"), .th("Status"), .th("Targets"), .th("By"), .th("Created"))),
                .tbody(
                    .forEach(rows) { run in
                        .tr(
                            .td(.a(.class("run-id"), .attribute(.href, SitePath.run(run.id)), .code(.text(run.id)))),
                            .td(.text(run.reference)), .td(RunBadge.node(run.status)),
                            .td(.text(String(run.targets))), .td(.text(run.requestedBy)),
                            .td(DisplayTime.node(run.createdAt)))
                    })))
    }

    /// A counter card; the whole card is a link to the page that lists what it counts.
    private static func stat(_ label: String, _ value: Int, link: String, detail: String? = nil)
        -> Node<HTML.BodyContext>
    {
        .a(
            .class("stat"), .attribute(.href, link),
            .span(.class("stat-value"), .text(String(value))),
            .span(.class("stat-label"), .text(label)),
            .unwrap(detail) { .span(.class("stat-detail"), .text($0)) }
        )
    }
}

/// An audit table shared by the dashboard and the audit page: action names whole, objects linked to their page,
/// details (when given) as `key: value` pairs.
enum AuditTable {
    static func render(_ rows: [DashboardModel.AuditRow], showDetails: Bool = false) -> Node<HTML.BodyContext> {
        .div(
            .class("table-wrap"),
            .table(
                .class("audit"),
                .thead(
                    .tr(.th("When (UTC)"), .th("Who"), .th("Action"), .th("Object"), .if(showDetails, .th("Details")))),
                .tbody(
                    .forEach(rows) { row in
                        .tr(
                            .td(.class("audit-when"), DisplayTime.node(row.when)), .td(.text(row.actor)),
                            .td(.class("audit-action"), .code(.text(row.action))),
                            .td(
                                .class("audit-object"),
                                .unwrap(
                                    AuditPresentation.link(row.object),
                                    { .a(.attribute(.href, $0), .text(row.object)) },
                                    else: .text(row.object))),
                            .if(showDetails, .td(.class("details"), details(row)))
                        )
                    }
                )
            ))
    }

    private static func details(_ row: DashboardModel.AuditRow) -> Node<HTML.BodyContext> {
        let pairs = AuditPresentation.details(row.details)
        return .group(
            .if(
                !pairs.isEmpty,
                .dl(
                    .class("audit-details"),
                    .forEach(pairs) { pair in
                        .group(.dt(.text(pair.key ?? "details")), .dd(.text(pair.value)))
                    })),
            .span(
                .class("audit-source"),
                .text(
                    ([row.source.map { "via \($0)" }, row.sourceAddress.map { "from \($0)" }].compactMap { $0 })
                        .joined(separator: " "))))
    }
}

/// Timestamps as people read them in tables.
enum DisplayTime {
    static func format(_ date: Date?) -> String {
        guard let date else { return "—" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// The time as a `<time datetime>` element (UTC, ISO 8601) showing `format(date)`, or "—".
    static func node(_ date: Date?) -> Node<HTML.BodyContext> {
        guard let date else { return .text("—") }
        return .element(
            named: "time",
            nodes: [.attribute(.datetime, date.formatted(.iso8601)), .text(format(date))])
    }
}
