import Foundation
import OpsCore
import Plot

/// The home page: counts from the database and, for admins, the latest audit entries.
enum DashboardView {
    static func render(_ model: DashboardModel, toolCount: Int, context: PageContext) -> HTML {
        let users = model.usersByRole.values.reduce(0, +)
        return Layout.page(
            title: "Dashboard", context: context,
            content: .group(
                .h1("Dashboard"),
                .div(
                    .class("stats"),
                    stat(
                        "Active users", users,
                        detail: Role.allCases.map { "\(model.usersByRole[$0] ?? 0) \($0.rawValue)" }.joined(
                            separator: " · ")),
                    stat("Disabled users", model.disabledUsers),
                    stat("Signed-in sessions", model.activeSessions),
                    stat("Active API tokens", model.activeTokens),
                    stat("Audit events (24 h)", model.auditLast24h),
                    stat("Failed sign-ins (24 h)", model.failedLoginsLast24h),
                    stat(
                        "Targets", model.targets,
                        detail: (model.targetsByTransport.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                            + model.targetsByOS.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" })
                            .joined(separator: " · ").nonEmpty),
                    stat("Runs going on", model.running.count),
                    stat("Groups", model.groups),
                    stat("Credentials", model.credentials),
                    stat("Trusted host keys", model.trustedHostKeys),
                    stat("Tools", toolCount)
                ),
                runs(model),
                .h2("Getting started"),
                .ul(
                    .class("steps"),
                    .li(
                        .a(.href(SitePath.targets), .text("Targets")),
                        .text(
                            ": import an Ansible or CSV inventory, store credentials, trust host keys, test connections."
                        )),
                    .li(
                        .a(.href(SitePath.tools), .text("Tools")),
                        .text(": the catalog of pre-approved scripts and workflows; preview and run them on targets.")),
                    .li(
                        .a(.href(SitePath.runs), .text("Runs")),
                        .text(": every run from the web, the API and the CLI, live while it goes on.")),
                    .li(
                        .a(.href(SitePath.accountTokens), .text("API tokens")),
                        .text(": create one to use the REST API and the CLI."))
                ),
                .if(
                    !model.recent.isEmpty,
                    .group(
                        .h2("Recent activity"),
                        AuditTable.render(model.recent),
                        .p(.a(.href(SitePath.adminAudit), .text("Full audit log")))
                    ))
            ))
    }

    private static func runs(_ model: DashboardModel) -> Node<HTML.BodyContext> {
        .group(
            .h2("Running now"),
            .if(model.running.isEmpty, .p(.class("muted"), .text("Nothing is running."))),
            .if(!model.running.isEmpty, runTable(model.running, id: "running-now")),
            .if(
                !model.recentFailures.isEmpty,
                .group(.h2("Recent failures (7 days)"), runTable(model.recentFailures, id: "recent-failures"))),
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
        )
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
                            .td(.a(.attribute(.href, SitePath.run(run.id)), .code(.text(run.id)))),
                            .td(.text(run.reference)), .td(RunBadge.node(run.status)),
                            .td(.text(String(run.targets))), .td(.text(run.requestedBy)),
                            .td(.text(DisplayTime.format(run.createdAt))))
                    })))
    }

    private static func stat(_ label: String, _ value: Int, detail: String? = nil) -> Node<HTML.BodyContext> {
        .div(
            .class("stat"),
            .span(.class("stat-value"), .text(String(value))),
            .span(.class("stat-label"), .text(label)),
            .unwrap(detail) { .span(.class("stat-detail"), .text($0)) }
        )
    }
}

/// An audit table shared by the dashboard and the audit page.
enum AuditTable {
    /// `details`, when given, has one entry per row and adds a Details column.
    static func render(_ rows: [DashboardModel.AuditRow], details: [String?] = []) -> Node<HTML.BodyContext> {
        let showDetails = details.count == rows.count && !details.isEmpty
        return .div(
            .class("table-wrap"),
            .table(
                .thead(
                    .tr(.th("When (UTC)"), .th("Who"), .th("Action"), .th("Object"), .if(showDetails, .th("Details")))),
                .tbody(
                    .forEach(Array(rows.enumerated())) { index, row in
                        .tr(
                            .td(.text(DisplayTime.format(row.when))), .td(.text(row.actor)),
                            .td(.code(.text(row.action))), .td(.text(row.object)),
                            .if(showDetails, .td(.class("details"), .text(showDetails ? details[index] ?? "" : "")))
                        )
                    }
                )
            ))
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
}
