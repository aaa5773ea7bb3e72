import Plot
import Vapor

/// The page shell: head, navigation, flash message, content, footer.
enum Layout {
    static func page(
        title: String, context: PageContext, content: Node<HTML.BodyContext>, scripts: [String] = []
    ) -> HTML {
        HTML(
            .lang(.english),
            .head(
                .encoding(.utf8),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                // Not Plot's `.title(_:)`: it copies the text into og:/twitter:title `<meta content>`, unescaped.
                .element(named: "title", text: "\(title) · PCM-Ops"),
                .stylesheet("/css/app.css"),
                .link(.rel(.icon), .href("/favicon.svg"), .type("image/svg+xml"))
            ),
            .body(
                .header(
                    .class("topbar"),
                    .a(.class("brand"), .href(SitePath.dashboard), .text("PCM-Ops")),
                    .if(
                        context.username != nil,
                        .button(
                            .class("nav-toggle"), .type(.button), .attribute(named: "aria-controls", value: "nav"),
                            .attribute(named: "aria-expanded", value: "false"), .text("Menu"))
                    ),
                    navigation(context),
                    account(context)
                ),
                .main(
                    .class("content"),
                    .unwrap(context.flash) { flash in
                        .div(
                            .attribute(.class, "flash flash-\(flash.kind.rawValue)"),
                            .attribute(named: "role", value: "status"),
                            .text(flash.message))
                    },
                    content
                ),
                .footer(.class("footer"), .text("PCM-Ops — pre-approved operations, run safely.")),
                .script(.src("/js/app.js")),
                .forEach(scripts) { .script(.attribute(.src, $0)) }
            )
        )
    }

    private static func navigation(_ context: PageContext) -> Node<HTML.BodyContext> {
        guard let role = context.role else { return .empty }
        let sections = Section.allCases.filter { role.allows($0.minimumRole) }
        return .nav(
            .id("nav"), .class("nav"),
            .ul(
                .forEach(sections) { section in
                    .li(
                        .a(
                            .attribute(.href, section.path),
                            .attribute(.class, section == context.section ? "active" : ""),
                            .text(section.title)))
                }
            )
        )
    }

    /// The user menu: who is signed in, and what is theirs (password, tokens, the API docs) and signing out.
    /// A `<details>` element, so it opens without JavaScript and without an inline script.
    private static func account(_ context: PageContext) -> Node<HTML.BodyContext> {
        guard let username = context.username, let csrf = context.csrfToken else { return .empty }
        return .div(
            .class("account"),
            .details(
                .class("user-menu"),
                .summary(
                    .span(.class("user-name"), .text(username)),
                    .span(.class("role-badge"), .text(context.role?.rawValue ?? ""))),
                .ul(
                    .class("user-menu-items"),
                    .li(.a(.href(SitePath.accountPassword), .text("Change password"))),
                    .li(.a(.href(SitePath.accountTokens), .text("API tokens"))),
                    .li(.a(.href(SitePath.docs), .text("API docs"))),
                    .li(
                        .form(
                            .class("inline"), .action(SitePath.logout), .method(.post),
                            CSRFField.node(csrf),
                            .button(.type(.submit), .class("link-button"), .text("Log out")))))
            )
        )
    }
}

/// The hidden CSRF field every state-changing form carries.
enum CSRFField {
    static let name = "csrf_token"

    static func node(_ token: String) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .attribute(.name, name), .attribute(.value, token))
    }
}

extension HTML {
    /// The page as an HTML response.
    func response(status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .contentType, value: "text/html; charset=utf-8")
        return Response(status: status, headers: headers, body: .init(string: render()))
    }
}
