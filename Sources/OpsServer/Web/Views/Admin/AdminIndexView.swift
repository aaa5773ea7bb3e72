import Plot

/// `/admin`: the administration areas.
enum AdminIndexView {
    static func render(context: PageContext) -> HTML {
        Layout.page(
            title: "Admin", context: context,
            content: .group(
                .h1("Admin"),
                .div(
                    .class("tiles"),
                    tile(SitePath.adminUsers, "Users", "Add people, change roles, disable accounts, reset passwords."),
                    tile(SitePath.adminTokens, "API tokens", "Every API token, its owner and last use; revoke any."),
                    tile(SitePath.adminAudit, "Audit log", "Who did what, when and from where.")
                )
            ))
    }

    private static func tile(_ path: String, _ title: String, _ text: String) -> Node<HTML.BodyContext> {
        .a(.class("tile"), .attribute(.href, path), .strong(.text(title)), .span(.text(text)))
    }
}

/// A secret shown exactly once (a new password or token), with a copy button.
enum SecretReveal {
    static func render(label: String, secret: String) -> Node<HTML.BodyContext> {
        .div(
            .class("secret-reveal"), .attribute(named: "role", value: "alert"),
            .p(.strong(.text(label)), .text(" It is shown only this once; copy it now.")),
            .div(
                .class("secret-row"),
                .code(.id("revealed-secret"), .text(secret)),
                .button(
                    .type(.button), .class("copy"), .data(named: "copy-target", value: "revealed-secret"), .text("Copy")
                )
            )
        )
    }
}
