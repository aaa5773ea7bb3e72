import Plot

/// `/inventory/credentials` (admins): names and public facts only; secrets are write-only.
enum CredentialsView {
    static func render(_ credentials: [Credential], context: PageContext, error: String?) -> HTML {
        let csrf = context.csrfToken ?? ""
        return Layout.page(
            title: "Credentials", context: context,
            content: .group(
                .h1("Credentials"),
                InventoryNav.render(current: SitePath.credentials, role: context.role),
                .p(
                    .class("muted"),
                    .text("Secrets are encrypted at rest and never shown again, here or anywhere else.")),
                .if(
                    credentials.isEmpty, .p(.text("No credentials yet.")),
                    else: .div(
                        .class("table-wrap"),
                        .table(
                            .thead(.tr(.th("Name"), .th("Kind"), .th("Login"), .th("Key"), .th("Default"), .th(""))),
                            .tbody(
                                .forEach(credentials) { credential in
                                    .tr(
                                        .td(.text(credential.name)), .td(.text(credential.kind)),
                                        .td(.text(credential.username)),
                                        .td(.code(.text(credential.summary ?? ""))),
                                        .td(.text(credential.isDefault ? "yes" : "")),
                                        .td(
                                            .form(
                                                .class("inline"),
                                                .attribute(
                                                    .action, SitePath.credentials + "/\(credential.name)/delete"),
                                                .method(.post), CSRFField.node(csrf),
                                                .button(
                                                    .type(.submit), .class("danger"),
                                                    .attribute(
                                                        .data("confirm"), "Delete the credential \(credential.name)?"),
                                                    .text("Delete")))))
                                })))),
                .h2("Add a credential"),
                .unwrap(error) { .div(.class("flash flash-error"), .text($0)) },
                .form(
                    .action(SitePath.credentials), .method(.post), .class("stacked narrow-form"),
                    CSRFField.node(csrf),
                    .label(.for("c-name"), .text("Name")),
                    .input(.type(.text), .id("c-name"), .name("name"), .required(true)),
                    .label(.for("c-kind"), .text("Kind")),
                    InventoryNav.select(
                        id: "c-kind", name: "kind", values: CredentialService.kinds, selected: "ssh_key"),
                    .label(
                        .for("c-username"),
                        .text(
                            "Login name (for winrm: DOMAIN\\user, user@domain or a local user; for aws_keys: the access key id)"
                        )),
                    .input(.type(.text), .id("c-username"), .name("username"), .required(true)),
                    .label(.for("c-domain"), .text("Windows domain, for winrm (optional: or name it in the login)")),
                    .input(.type(.text), .id("c-domain"), .name("domain")),
                    .label(.for("c-key"), .text("Private key (OpenSSH or PEM text), for ssh_key")),
                    .textarea(
                        .id("c-key"), .name("private_key"), .attribute(named: "rows", value: "6"),
                        .attribute(named: "spellcheck", value: "false")),
                    .label(.for("c-passphrase"), .text("Key passphrase (if the key is encrypted)")),
                    .input(
                        .type(.password), .id("c-passphrase"), .name("passphrase"),
                        .attribute(named: "autocomplete", value: "off")),
                    .label(
                        .for("c-password"),
                        .text("Password, for ssh_password and winrm; secret access key, for aws_keys")),
                    .input(
                        .type(.password), .id("c-password"), .name("password"),
                        .attribute(named: "autocomplete", value: "off")),
                    .label(.for("c-aws-env"), .text("AWS environment, for aws_keys")),
                    InventoryNav.select(
                        id: "c-aws-env", name: "aws_environment", values: ["", "com", "gov"], selected: ""),
                    .label(.for("c-token"), .text("Session token, for temporary aws_keys")),
                    .input(
                        .type(.password), .id("c-token"), .name("session_token"),
                        .attribute(named: "autocomplete", value: "off")),
                    .label(
                        .class("checkbox"),
                        .input(.type(.checkbox), .name("is_default"), .value("true")),
                        .text(" Default credential for targets that name none")),
                    .button(.type(.submit), .class("primary"), .text("Add credential"))
                )
            ))
    }
}
