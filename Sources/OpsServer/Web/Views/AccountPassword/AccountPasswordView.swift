import OpsCore
import Plot

/// `/account/password`: change your own password.
enum AccountPasswordView {
    static func render(context: PageContext, error: String? = nil) -> HTML {
        Layout.page(
            title: "Change password", context: context,
            content: .div(
                .class("card narrow"),
                .h1("Change password"),
                .unwrap(error) { .div(.class("flash flash-error"), .text($0)) },
                .form(
                    .action(SitePath.accountPassword), .method(.post), .class("stacked"),
                    CSRFField.node(context.csrfToken ?? ""),
                    .label(.for("current"), .text("Current password")),
                    .input(
                        .type(.password), .id("current"), .name("current"), .required(true),
                        .attribute(named: "autocomplete", value: "current-password")),
                    .label(.for("new"), .text("New password (at least \(PasswordPolicy.minLength) characters)")),
                    .input(
                        .type(.password), .id("new"), .name("new"), .required(true),
                        .attribute(named: "autocomplete", value: "new-password")),
                    .label(.for("confirm"), .text("New password again")),
                    .input(
                        .type(.password), .id("confirm"), .name("confirm"), .required(true),
                        .attribute(named: "autocomplete", value: "new-password")),
                    .button(.type(.submit), .class("primary"), .text("Change password"))
                )
            ))
    }
}
