import Foundation
import Plot

/// `/admin/audit`: the audit log, filterable by user, action and dates, 50 to a page, exportable as CSV or JSON
/// with the same filters.
enum AdminAuditView {
    struct Model {
        var entries: [AuditEntry]
        var total: Int
        var query: AuditQuery
        var knownActions: [String]
    }

    static func render(_ model: Model, context: PageContext) -> HTML {
        let pages = max(1, (model.total + model.query.perPage - 1) / model.query.perPage)
        let rows = model.entries.map {
            DashboardModel.AuditRow(
                when: $0.createdAt, actor: $0.actor ?? "—", action: $0.action, object: $0.object ?? "",
                details: $0.details, source: $0.source, sourceAddress: $0.sourceAddress)
        }
        let filters = QueryString.encode(model.query.queryItems)
        let suffix = filters.isEmpty ? "" : "?" + filters
        return Layout.page(
            title: "Audit log", context: context,
            content: .group(
                Breadcrumbs.render([.init("Admin", SitePath.admin), .init("Audit log")]),
                .div(
                    .class("page-head"), .h1("Audit log"),
                    .div(
                        .class("exports"),
                        .a(
                            .class("button"), .id("export-csv"), .attribute(.href, SitePath.adminAuditCSV + suffix),
                            .text("Export CSV")),
                        .a(
                            .class("button"), .id("export-json"), .attribute(.href, SitePath.adminAuditJSON + suffix),
                            .text("Export JSON")))),
                .form(
                    .action(SitePath.adminAudit), .method(.get), .class("filters"),
                    .label(.for("filter-user"), .text("User")),
                    .input(
                        .type(.text), .id("filter-user"), .name("user"),
                        .attribute(.value, model.query.user ?? "")),
                    .label(.for("filter-action"), .text("Action")),
                    .input(
                        .type(.text), .id("filter-action"), .name("action"),
                        .attribute(.value, model.query.action ?? ""),
                        .attribute(named: "list", value: "known-actions")),
                    .datalist(
                        .id("known-actions"), .forEach(model.knownActions) { .option(.attribute(.value, $0)) }),
                    .label(.for("filter-since"), .text("From")),
                    .input(
                        .type(.date), .id("filter-since"), .name("since"),
                        .attribute(.value, dateValue(model.query.since))),
                    .label(.for("filter-until"), .text("Before")),
                    .input(
                        .type(.date), .id("filter-until"), .name("until"),
                        .attribute(.value, dateValue(model.query.until))),
                    .button(.type(.submit), .text("Filter")),
                    .if(
                        !model.query.queryItems.isEmpty,
                        .a(.href(SitePath.adminAudit), .id("clear-filters"), .text("Clear")))
                ),
                .p(
                    .class("muted"), .id("audit-count"),
                    .text(pageLine(total: model.total, page: model.query.page, pages: pages))),
                .if(
                    model.entries.isEmpty, .p(.text("Nothing matches.")),
                    else: AuditTable.render(rows, showDetails: true)),
                .nav(
                    .class("pager"),
                    .if(
                        model.query.page > 1,
                        .a(.attribute(.href, link(model.query, page: model.query.page - 1)), .text("← Newer"))
                    ),
                    .if(
                        model.query.page < pages,
                        .a(.attribute(.href, link(model.query, page: model.query.page + 1)), .text("Older →")))
                )
            ))
    }

    /// A date filter as the date input shows it (the UTC day), or "".
    static func dateValue(_ date: Date?) -> String {
        guard let date else { return "" }
        return date.formatted(.iso8601.year().month().day().dateSeparator(.dash))
    }

    static func link(_ query: AuditQuery, page: Int) -> String {
        var items = query.queryItems
        items["page"] = String(page)
        return SitePath.adminAudit + "?" + QueryString.encode(items)
    }

    /// "12 entries · page 1 of 2"; past the last page it says so ("no page 999: the last is 2").
    static func pageLine(total: Int, page: Int, pages: Int) -> String {
        let entries = Plural.count(total, "entry", plural: "entries")
        if page > max(pages, 1) { return entries + " · no page \(page): the last is page \(max(pages, 1))" }
        return entries + " · page \(page) of \(max(pages, 1))"
    }
}
