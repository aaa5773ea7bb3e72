import Plot

/// A plain error page: status, a safe message, the request id to quote to an admin.
enum ErrorPageView {
    static func render(status: Int, title: String, message: String, requestID: String, signedIn: Bool) -> HTML {
        Layout.page(
            title: title, context: .anonymous,
            content: .div(
                .class("card narrow"),
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
