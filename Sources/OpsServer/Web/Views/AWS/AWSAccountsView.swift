import Plot

/// The accounts part of `/aws`: what runs reach, by assuming a role in each.
enum AWSAccountsView {
    static func section(_ accounts: [AWSAccount], csrf: String, isAdmin: Bool) -> Node<HTML.BodyContext> {
        .group(
            .h2("Accounts"),
            .p(
                .class("muted"),
                .text(
                    "Each account is reached by assuming its role (arn:PARTITION:iam::ACCOUNT:role/ROLE) with the "
                        + "environment's credentials; without a role, the credentials' own account is used.")),
            .if(
                accounts.isEmpty, .p(.id("aws-no-accounts"), .text("No accounts configured.")),
                else: .div(
                    .class("table-wrap"),
                    .table(
                        .id("aws-accounts"),
                        .thead(.tr(.th("Environment"), .th("Account"), .th("Name"), .th("Role"), .th(""))),
                        .tbody(
                            .forEach(accounts) { account in
                                .tr(
                                    .td(.text(account.environment.uppercased())), .td(.code(.text(account.accountID))),
                                    .td(.text(account.name)), .td(.text(account.roleName ?? "—")),
                                    .td(
                                        .if(
                                            isAdmin,
                                            .form(
                                                .class("inline"),
                                                .attribute(
                                                    .action,
                                                    SitePath.aws
                                                        + "/accounts/\(account.environment)/\(account.accountID)/delete"
                                                ),
                                                .method(.post), CSRFField.node(csrf),
                                                .button(
                                                    .type(.submit), .class("danger"),
                                                    .attribute(.data("confirm"), "Remove account \(account.name)?"),
                                                    .text("Remove"))))))
                            })))),
            .if(isAdmin, addForm(csrf: csrf))
        )
    }

    private static func addForm(csrf: String) -> Node<HTML.BodyContext> {
        .details(
            .summary(.text("Add an account")),
            .form(
                .attribute(.action, SitePath.aws + "/accounts"), .method(.post), .class("stacked narrow-form"),
                CSRFField.node(csrf),
                .label(.for("acct-env"), .text("Environment")),
                InventoryNav.select(id: "acct-env", name: "environment", values: ["com", "gov"], selected: "com"),
                .label(.for("acct-id"), .text("Account id (12 digits)")),
                .input(
                    .type(.text), .id("acct-id"), .name("account_id"), .required(true),
                    .attribute(named: "pattern", value: "[0-9]{12}"), .attribute(named: "inputmode", value: "numeric")),
                .label(.for("acct-name"), .text("Name")),
                .input(.type(.text), .id("acct-name"), .name("name"), .required(true)),
                .label(.for("acct-role"), .text("Role to assume (empty: none)")),
                .input(.type(.text), .id("acct-role"), .name("role_name")),
                .button(.type(.submit), .class("primary"), .text("Add account"))
            ),
            .form(
                .attribute(.action, SitePath.aws + "/accounts/import"), .method(.post),
                .class("stacked narrow-form"), CSRFField.node(csrf),
                .h3("Import from AWS Organizations"),
                .label(.for("org-env"), .text("Environment")),
                InventoryNav.select(id: "org-env", name: "environment", values: ["com", "gov"], selected: "com"),
                .label(.for("org-role"), .text("Role to assume in each account")),
                .input(.type(.text), .id("org-role"), .name("role_name"), .value("OrganizationAccountAccessRole")),
                .button(.type(.submit), .text("Import accounts"))
            )
        )
    }
}
