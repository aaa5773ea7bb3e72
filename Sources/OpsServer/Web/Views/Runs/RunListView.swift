import Foundation
import OpsCore
import Plot

/// `/runs`: the history, newest first, with filters, cursor pages both ways and a page size. While a listed run
/// is active, `runs.js` redraws the table every few seconds.
enum RunListView {
    struct Model {
        var page: RunPageDTO
        var query: [String: String]
        var tools: [String]
        var error: String?
        /// Names the user and target filters offer.
        var users: [String] = []
        var targets: [String] = []
        var now = Date()
    }

    static let pageSizes = [25, 50, 100, 200]

    static func render(_ model: Model, context: PageContext) -> HTML {
        let active = model.page.runs.contains { !(RunStatus(rawValue: $0.status)?.isTerminal ?? true) }
        return Layout.page(
            title: "Runs", context: context,
            content: .group(
                .div(.class("page-head"), .h1("Runs")),
                filters(model),
                .unwrap(model.error) { .div(.class("flash flash-error"), .text($0)) },
                .div(
                    .id("run-list"), .attribute(.data("active"), active ? "true" : "false"),
                    .if(
                        model.page.runs.isEmpty, .p(.text("No run matches.")),
                        else: .div(
                            .class("table-wrap"),
                            .table(
                                .class("runs"),
                                .thead(
                                    .tr(
                                        .th("Run"), .th("Tool"), .th("Parameters"), .th("Status"), .th("Targets"),
                                        .th("Succeeded"), .th("Failed"), .th("By"), .th("Source"), .th("Started"),
                                        .th("Took"))),
                                .tbody(.forEach(model.page.runs) { row($0, now: model.now) })))),
                    pager(model))
            ),
            scripts: ["/js/runs.js"])
    }

    private static func pager(_ model: Model) -> Node<HTML.BodyContext> {
        func link(_ key: String, _ cursor: String, _ text: String, id: String) -> Node<HTML.BodyContext> {
            var query = model.query
            query["cursor"] = nil
            query["newer"] = nil
            query[key] = cursor
            let href = SitePath.runs + "?" + QueryString.encode(query)
            return .a(.attribute(.id, id), .attribute(.href, href), .text(text))
        }
        let newer = model.page.newerCursor
        let older = model.page.nextCursor
        return .if(
            newer != nil || older != nil,
            .p(
                .class("pager"),
                .unwrap(newer) { link("newer", $0, "← Newer runs", id: "newer-runs") },
                .if(newer != nil && older != nil, .text(" · ")),
                .unwrap(older) { link("cursor", $0, "Older runs →", id: "older-runs") }))
    }

    /// Succeeded and Failed count targets (by outcome), as the Targets column does, not steps.
    static func row(_ run: RunDTO, now: Date = Date()) -> Node<HTML.TableContext> {
        let failed = run.targetCounts.failed + run.targetCounts.timedOut + run.targetCounts.interrupted
        let parameters = shortParameters(run.parameters)
        return .tr(
            .attribute(.data("status"), run.status),
            .td(.class("run-id"), .a(.attribute(.href, SitePath.run(run.id)), .code(.text(run.id)))),
            .td(.text(run.reference)),
            .td(.class("params-cell"), .attribute(.title, parameters.full), .text(parameters.short)),
            .td(RunBadge.node(run.status)),
            .td(.text(String(run.targetCount))),
            .td(.text(String(run.targetCounts.succeeded))),
            .td(.attribute(.class, failed > 0 ? "bad" : ""), .text(String(failed))),
            .td(.text(run.requestedBy)),
            .td(.text(run.source)),
            .td(TimeTag.node(run.startedAt ?? run.createdAt, now: now)),
            .td(.text(RunBadge.duration(from: run.startedAt, to: run.finishedAt))))
    }

    /// "unit=nginx version=1.2…" (at most 60 characters) and the whole list for the title.
    static func shortParameters(_ parameters: [String: String]) -> (short: String, full: String) {
        let full = parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        guard full.count > 60 else { return (full, full) }
        return (String(full.prefix(59)) + "…", full)
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
            .input(
                .type(.text), .id("r-user"), .name("user"), .attribute(named: "list", value: "r-users"),
                .attribute(.value, model.query["user"] ?? "")),
            datalist("r-users", model.users),
            .label(.for("r-target"), .text("Target")),
            .input(
                .type(.text), .id("r-target"), .name("target"), .attribute(named: "list", value: "r-targets"),
                .attribute(.value, model.query["target"] ?? "")),
            datalist("r-targets", model.targets),
            .label(.for("r-since"), .text("From")),
            .input(.type(.date), .id("r-since"), .name("since"), .attribute(.value, model.query["since"] ?? "")),
            .label(.for("r-until"), .text("Before")),
            .input(.type(.date), .id("r-until"), .name("until"), .attribute(.value, model.query["until"] ?? "")),
            .label(.for("r-limit"), .text("Per page")),
            InventoryNav.select(
                id: "r-limit", name: "limit", values: pageSizes.map(String.init),
                selected: model.query["limit"] ?? "50", empty: nil),
            .button(.type(.submit), .text("Filter")))
    }

    private static func datalist(_ id: StaticString, _ values: [String]) -> Node<HTML.FormContext> {
        .datalist(.attribute(.id, id.description), .forEach(values) { .option(.attribute(.value, $0)) })
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
