import Foundation
import OpsCore
import Plot

/// `/runs`: the history, newest first, with filters and cursor pages.
enum RunListView {
    struct Model {
        var page: RunPageDTO
        var query: [String: String]
        var tools: [String]
        var error: String?
    }

    static func render(_ model: Model, context: PageContext) -> HTML {
        Layout.page(
            title: "Runs", context: context,
            content: .group(
                .div(.class("page-head"), .h1("Runs")),
                filters(model),
                .unwrap(model.error) { .div(.class("flash flash-error"), .text($0)) },
                .if(
                    model.page.runs.isEmpty, .p(.text("No run matches.")),
                    else: .div(
                        .class("table-wrap"),
                        .table(
                            .class("runs"),
                            .thead(
                                .tr(
                                    .th("Run"), .th("Tool"), .th("Status"), .th("Targets"), .th("Succeeded"),
                                    .th("Failed"), .th("By"), .th("Started"), .th("Took"))),
                            .tbody(.forEach(model.page.runs) { row($0) })))),
                .unwrap(model.page.nextCursor) { cursor in
                    var query = model.query
                    query["cursor"] = cursor
                    return .p(
                        .class("pager"),
                        .a(
                            .attribute(.href, SitePath.runs + "?" + QueryString.encode(query)),
                            .text("Older runs →")))
                }
            ))
    }

    /// Succeeded and Failed count targets (by outcome), as the Targets column does, not steps.
    static func row(_ run: RunDTO) -> Node<HTML.TableContext> {
        let failed = run.targetCounts.failed + run.targetCounts.timedOut + run.targetCounts.interrupted
        return .tr(
            .td(.a(.attribute(.href, SitePath.run(run.id)), .code(.text(run.id)))),
            .td(.text(run.reference)),
            .td(RunBadge.node(run.status)),
            .td(.text(String(run.targetCount))),
            .td(.text(String(run.targetCounts.succeeded))),
            .td(.attribute(.class, failed > 0 ? "bad" : ""), .text(String(failed))),
            .td(.text(run.requestedBy)),
            .td(.text(RunBadge.time(run.startedAt ?? run.createdAt))),
            .td(.text(RunBadge.duration(from: run.startedAt, to: run.finishedAt))))
    }

    private static func filters(_ model: Model) -> Node<HTML.BodyContext> {
        .form(
            .action(SitePath.runs), .method(.get), .class("filters"),
            .label(.for("r-status"), .text("Status")),
            InventoryNav.select(
                id: "r-status", name: "status", values: RunStatus.allCases.map(\.rawValue),
                selected: model.query["status"], empty: "any"),
            .label(.for("r-tool"), .text("Tool")),
            InventoryNav.select(
                id: "r-tool", name: "tool", values: model.tools, selected: model.query["tool"], empty: "any"),
            .label(.for("r-user"), .text("User")),
            .input(.type(.text), .id("r-user"), .name("user"), .attribute(.value, model.query["user"] ?? "")),
            .label(.for("r-target"), .text("Target")),
            .input(
                .type(.text), .id("r-target"), .name("target"), .attribute(.value, model.query["target"] ?? "")),
            .label(.for("r-since"), .text("From")),
            .input(.type(.date), .id("r-since"), .name("since"), .attribute(.value, model.query["since"] ?? "")),
            .label(.for("r-until"), .text("Before")),
            .input(.type(.date), .id("r-until"), .name("until"), .attribute(.value, model.query["until"] ?? "")),
            .button(.type(.submit), .text("Filter")))
    }
}

/// Status badges and times shared by the run pages.
enum RunBadge {
    static func node(_ status: String) -> Node<HTML.BodyContext> {
        .span(.attribute(.class, "badge status-\(status)"), .text(status.replacingOccurrences(of: "_", with: " ")))
    }

    static func time(_ date: Date?) -> String {
        guard let date else { return "—" }
        return date.formatted(
            .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
        )
        .replacingOccurrences(of: "T", with: " ")
    }

    static func duration(from start: Date?, to end: Date?) -> String {
        guard let start, let end else { return "—" }
        let seconds = end.timeIntervalSince(start)
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        return "\(Int(seconds) / 60) min \(Int(seconds) % 60) s"
    }
}

/// Query strings for links (filters kept across pages).
enum QueryString {
    static func encode(_ fields: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map {
                "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
            }.joined(separator: "&")
    }
}
