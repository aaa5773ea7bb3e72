import Plot

/// `/admin/audit`: the audit log, filterable by user and action, 50 to a page.
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
                when: $0.createdAt, actor: $0.actor ?? "—", action: $0.action, object: $0.object ?? "")
        }
        let details = model.entries.map { entry -> String? in
            [entry.details, entry.sourceAddress.map { "from \($0)" }, "via \(entry.source)"]
                .compactMap { $0 }.joined(separator: " ")
        }
        return Layout.page(
            title: "Audit log", context: context,
            content: .group(
                .h1("Audit log"),
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
                    .button(.type(.submit), .text("Filter"))
                ),
                .p(.class("muted"), .text(pageLine(total: model.total, page: model.query.page, pages: pages))),
                .if(
                    model.entries.isEmpty, .p(.text("Nothing matches.")),
                    else: AuditTable.render(rows, details: details)),
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

    static func link(_ query: AuditQuery, page: Int) -> String {
        var items = ["page=\(page)"]
        if let user = query.user {
            items.append("user=" + (user.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        if let action = query.action {
            items.append("action=" + (action.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        return SitePath.adminAudit + "?" + items.joined(separator: "&")
    }

    /// "12 entries · page 1 of 2"; past the last page it says so ("no page 999: the last is 2").
    static func pageLine(total: Int, page: Int, pages: Int) -> String {
        let entries = Plural.count(total, "entry", plural: "entries")
        if page > max(pages, 1) { return entries + " · no page \(page): the last is page \(max(pages, 1))" }
        return entries + " · page \(page) of \(max(pages, 1))"
    }
}
