import Plot

/// A plain error page: status, a safe message, the request id to quote to an admin. A signed-in user keeps the
/// navigation and the user menu, so a 403 or a 404 is not a dead end.
enum ErrorPageView {
    static func render(status: Int, title: String, message: String, requestID: String, context: PageContext) -> HTML {
        let signedIn = context.username != nil
        return Layout.page(
            title: title, context: context,
            content: .div(
                .class("card narrow error-page"),
                .h1("\(status) — \(title)"),
                .p(.text(message)),
                .p(.class("muted"), .text("Request id: \(requestID)")),
                .p(
                    .a(
                        .href(signedIn ? SitePath.dashboard : SitePath.login),
                        .text(signedIn ? "Back to the dashboard" : "Sign in")))
            ))
    }
}
