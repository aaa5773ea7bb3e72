import Foundation
import Plot

/// API token lists: a user's own (`/account/tokens`, with a create form) and everyone's (`/admin/tokens`).
enum TokensView {
    struct Model {
        var title: String
        var tokens: [APIToken]
        var showOwner: Bool
        var allowCreate: Bool
        var revokePath: (String) -> String
        var now: Date
        var reveal: String?
        var formError: String?
    }

    static func render(_ model: Model, context: PageContext) -> HTML {
        let csrf = context.csrfToken ?? ""
        return Layout.page(
            title: model.title, context: context,
            content: .group(
                .h1(.text(model.title)),
                .unwrap(model.reveal) { SecretReveal.render(label: "Your new API token:", secret: $0) },
                .if(
                    model.tokens.isEmpty, .p(.class("muted"), .text("No API tokens yet.")),
                    else: .div(
                        .class("table-wrap"),
                        .table(
                            .thead(
                                .tr(
                                    .th("Name"), .if(model.showOwner, .th("Owner")), .th("Token"), .th("Created (UTC)"),
                                    .th("Last used (UTC)"), .th("Expires (UTC)"), .th("Status"), .th("")
                                )),
                            .tbody(.forEach(model.tokens) { row($0, model: model, csrf: csrf) })
                        ))
                ),
                .if(model.allowCreate, createForm(csrf: csrf, error: model.formError)),
                .if(
                    model.allowCreate,
                    .p(.class("muted"), .text("Use a token as `Authorization: Bearer <token>` on /api/v1."))
                )
            ))
    }

    private static func row(_ token: APIToken, model: Model, csrf: String) -> Node<HTML.TableContext> {
        let id = token.id?.uuidString ?? ""
        let status =
            token.revokedAt != nil ? "revoked" : (token.isActive(at: model.now) ? "active" : "expired")
        return .tr(
            .td(.text(token.name)),
            .if(model.showOwner, .td(.text(token.$user.value?.username ?? ""))),
            .td(.code(.text(token.prefix + "…"))),
            .td(.text(DisplayTime.format(token.createdAt))),
            .td(.text(DisplayTime.format(token.lastUsedAt))),
            .td(.text(token.expiresAt.map { DisplayTime.format($0) } ?? "never")),
            .td(.text(status)),
            .td(
                .if(
                    token.revokedAt == nil,
                    .form(
                        .class("inline"), .attribute(.action, model.revokePath(id)), .method(.post),
                        CSRFField.node(csrf),
                        .button(
                            .type(.submit), .class("danger"),
                            .attribute(
                                .data("confirm"), "Revoke the token \(token.name)? Scripts using it stop working."),
                            .text("Revoke"))
                    )))
        )
    }

    private static func createForm(csrf: String, error: String?) -> Node<HTML.BodyContext> {
        .group(
            .h2("Create a token"),
            .unwrap(error) { .div(.class("flash flash-error"), .text($0)) },
            .form(
                .action(SitePath.accountTokens), .method(.post), .class("stacked narrow-form"),
                CSRFField.node(csrf),
                .label(.for("token-name"), .text("Name (what uses it)")),
                .input(
                    .type(.text), .id("token-name"), .name("name"), .required(true),
                    .attribute(named: "maxlength", value: "100")),
                .label(.for("token-expiry"), .text("Expires after (days; empty for never)")),
                .input(
                    .type(.number), .id("token-expiry"), .name("expires_in_days"), .attribute(named: "min", value: "1"),
                    .attribute(named: "max", value: "3650")),
                .button(.type(.submit), .class("primary"), .text("Create token"))
            )
        )
    }
}
