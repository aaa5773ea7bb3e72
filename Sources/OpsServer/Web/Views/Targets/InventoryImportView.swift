import Plot

/// `/inventory/import` (admins): upload an Ansible (YAML, INI) or CSV inventory.
enum InventoryImportView {
    static func render(report: InventoryImportReport?, context: PageContext, error: String?) -> HTML {
        Layout.page(
            title: "Import inventory", context: context,
            content: .group(
                .h1("Import inventory"),
                InventoryNav.render(current: SitePath.inventoryImport, role: context.role),
                .unwrap(error) { .div(.class("flash flash-error"), .text($0)) },
                .unwrap(report) { summary($0) },
                .form(
                    .action(SitePath.inventoryImport), .method(.post), .class("stacked narrow-form"),
                    .enctype(.multipartData),
                    CSRFField.node(context.csrfToken ?? ""),
                    .label(
                        .for("i-file"),
                        .text(
                            "Inventory file (Ansible YAML or INI, or CSV with a header row; at most "
                                + BodyLimits.describe(BodyLimits.inventoryImport) + ")")),
                    .input(.type(.file), .id("i-file"), .name("file"), .required(true)),
                    .label(.for("i-format"), .text("Format")),
                    InventoryNav.select(
                        id: "i-format", name: "format", values: ["yaml", "ini", "csv"], selected: nil, empty: "detect"),
                    .label(.for("i-default-user"), .text("Default user (for hosts without ansible_user)")),
                    .input(
                        .type(.text), .id("i-default-user"), .name("default_user"),
                        .attribute(named: "pattern", value: "[^\\s@:]{1,64}"),
                        .attribute(named: "maxlength", value: "64"),
                        .attribute(named: "autocomplete", value: "off")),
                    .p(
                        .class("muted"),
                        .text(
                            "Empty: they log in as their credential's user (\(InventoryImporter.credentialUser) for a key or "
                                + "password read from the file).")),
                    .label(
                        .class("checkbox"), .input(.type(.checkbox), .name("dry_run"), .value("true")),
                        .text(" Dry run: show what would change")),
                    .button(.type(.submit), .class("primary"), .text("Import"))
                ),
                .p(
                    .class("muted"),
                    .text(
                        "Re-importing is safe: targets are matched by name. A file that does not parse changes nothing."
                    ))
            ))
    }

    private static func summary(_ report: InventoryImportReport) -> Node<HTML.BodyContext> {
        .div(
            .attribute(.class, "flash " + (report.rejected.isEmpty ? "flash-success" : "flash-info")),
            .id("import-report"),
            .p(
                .strong(.text(report.dryRun ? "Dry run — nothing was changed. " : "Imported. ")),
                .text(
                    "\(report.added.count) added, \(report.updated.count) updated, \(report.unchanged.count) unchanged, "
                        + "\(report.rejected.count) rejected; groups: \(report.groupsAdded.count) added, "
                        + "\(report.groupsUpdated.count) updated; credentials: \(report.credentialsAdded.count) added.")
            ),
            .if(
                !report.rejected.isEmpty,
                .ul(
                    .forEach(report.rejected) { rejection in
                        .li(
                            .text(
                                "line \(rejection.line)\(rejection.name.map { " (\($0))" } ?? ""): \(rejection.reason)")
                        )
                    })),
            .unwrap(report.defaultUserSummary) { .p(.id("import-default-user"), .text($0 + ".")) },
            .if(
                !report.warnings.isEmpty,
                .group(
                    .p(.text("Imported with something to fix:")),
                    .ul(
                        .class("import-warnings"),
                        .forEach(report.warnings) { warning in
                            .li(
                                .text(
                                    "line \(warning.line)\(warning.name.map { " (\($0))" } ?? ""): \(warning.reason)"))
                        })))
        )
    }
}
