import Plot

/// `/inventory/known-hosts` (admins): trusted host keys and the known_hosts import.
enum KnownHostsView {
    static func render(
        _ records: [KnownHostRecord], context: PageContext, report: KnownHostsImportReport?, error: String?
    ) -> HTML {
        let csrf = context.csrfToken ?? ""
        return Layout.page(
            title: "Known hosts", context: context,
            content: .group(
                .h1("Known hosts"),
                InventoryNav.render(current: SitePath.knownHosts, role: context.role),
                .unwrap(report) { report in
                    .div(
                        .class("flash flash-success"),
                        .p(
                            .text(
                                "Imported: \(report.added) added, \(report.unchanged) already known, \(report.rejected.count) rejected."
                            )),
                        .ul(.forEach(report.rejected) { .li(.text("line \($0.line): \($0.reason)")) }))
                },
                .unwrap(error) { .div(.class("flash flash-error"), .text($0)) },
                .if(
                    records.isEmpty, .p(.text("No trusted host keys yet. Import a known_hosts file below.")),
                    else: .div(
                        .class("table-wrap"),
                        .table(
                            .thead(
                                .tr(.th("Hosts"), .th("Key"), .th("Fingerprint"), .th("Marker"), .th("Source"), .th(""))
                            ),
                            .tbody(
                                .forEach(records) { record in
                                    .tr(
                                        .td(.code(.text(record.hosts))), .td(.text(record.keyType)),
                                        .td(.code(.text(record.fingerprint))),
                                        .td(.text(record.marker ?? "")), .td(.text(record.source)),
                                        .td(
                                            .form(
                                                .class("inline"),
                                                .attribute(
                                                    .action,
                                                    SitePath.knownHosts + "/\(record.id?.uuidString ?? "")/delete"),
                                                .method(.post), CSRFField.node(csrf),
                                                .button(
                                                    .type(.submit), .class("danger"),
                                                    .data(named: "confirm", value: "Stop trusting this key?"),
                                                    .text("Remove")))))
                                })))),
                .h2("Import known_hosts"),
                .form(
                    .action(SitePath.knownHosts), .method(.post), .class("stacked"),
                    CSRFField.node(csrf),
                    .label(
                        .for("kh-text"),
                        .text("Paste OpenSSH known_hosts lines (plain, hashed |1|, [host]:port, @revoked)")),
                    .textarea(
                        .id("kh-text"), .name("known_hosts"), .attribute(named: "rows", value: "8"),
                        .attribute(named: "spellcheck", value: "false")),
                    .button(.type(.submit), .class("primary"), .text("Import"))
                )
            ))
    }
}
