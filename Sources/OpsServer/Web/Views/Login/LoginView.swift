import Plot

/// The sign-in form.
enum LoginView {
    struct Model {
        var csrfToken: String
        var username = ""
        var next = ""
        var flash: Flash?
    }

    static func render(_ model: Model) -> HTML {
        var context = PageContext.anonymous
        context.flash = model.flash
        return Layout.page(
            title: "Sign in", context: context,
            content: .div(
                .class("card narrow"),
                .h1("Sign in"),
                .form(
                    .action(SitePath.login), .method(.post), .class("stacked"),
                    CSRFField.node(model.csrfToken),
                    .input(.type(.hidden), .name("next"), .attribute(.value, model.next)),
                    .label(.for("username"), .text("Username")),
                    .input(
                        .type(.text), .id("username"), .name("username"), .attribute(.value, model.username),
                        .required(true),
                        .attribute(named: "autocomplete", value: "username"), .attribute(named: "autofocus", value: nil)
                    ),
                    .label(.for("password"), .text("Password")),
                    .input(
                        .type(.password), .id("password"), .name("password"), .required(true),
                        .attribute(named: "autocomplete", value: "current-password")),
                    .button(.type(.submit), .class("primary"), .text("Sign in"))
                )
            ))
    }
}
