import OpsCore
import Plot

/// `/admin/users`: add, change role, disable, enable, reset password.
enum AdminUsersView {
    struct Reveal {
        var label: String
        var secret: String
    }

    static func render(users: [User], context: PageContext, reveal: Reveal? = nil, formError: String? = nil) -> HTML {
        let csrf = context.csrfToken ?? ""
        return Layout.page(
            title: "Users", context: context,
            content: .group(
                Breadcrumbs.render([.init("Admin", SitePath.admin), .init("Users")]),
                .h1("Users"),
                .unwrap(reveal) { SecretReveal.render(label: $0.label, secret: $0.secret) },
                .div(
                    .class("table-wrap"),
                    .table(
                        .thead(
                            .tr(.th("Username"), .th("Role"), .th("Status"), .th("Last sign-in (UTC)"), .th("Actions"))),
                        .tbody(.forEach(users) { row($0, csrf: csrf, me: context.username) })
                    )),
                .h2("Add a user"),
                .unwrap(formError) { .div(.class("flash flash-error"), .text($0)) },
                .form(
                    .action(SitePath.adminUsers), .method(.post), .class("stacked narrow-form"),
                    CSRFField.node(csrf),
                    .label(.for("new-username"), .text("Username")),
                    .input(
                        .type(.text), .id("new-username"), .name("username"), .required(true),
                        .attribute(named: "maxlength", value: "64")),
                    .label(.for("new-role"), .text("Role")),
                    roleSelect(id: "new-role", selected: .viewer),
                    .label(.for("new-password"), .text("Password (leave empty to generate one)")),
                    .input(
                        .type(.password), .id("new-password"), .name("password"),
                        .attribute(named: "autocomplete", value: "new-password")),
                    .button(.type(.submit), .class("primary"), .text("Add user"))
                )
            ))
    }

    private static func row(_ user: User, csrf: String, me: String?) -> Node<HTML.TableContext> {
        let name = user.username
        let nameCell: Node<HTML.TableRowContext> = .td(
            .text(name), .if(name == me, .span(.class("muted"), .text(" (you)"))))
        let roleCell: Node<HTML.TableRowContext> = .td(roleForm(user, csrf: csrf))
        let statusCell: Node<HTML.TableRowContext> = .td(.text(user.disabled ? "disabled" : "active"))
        let lastCell: Node<HTML.TableRowContext> = .td(.text(DisplayTime.format(user.lastLoginAt)))
        let actionsCell: Node<HTML.TableRowContext> = .td(
            .class("actions"), toggleForm(user, csrf: csrf), resetForm(user, csrf: csrf))
        return .tr(nameCell, roleCell, statusCell, lastCell, actionsCell)
    }

    private static func roleForm(_ user: User, csrf: String) -> Node<HTML.BodyContext> {
        .form(
            .class("inline"), .attribute(.action, SitePath.adminUser(user.username) + "/role"), .method(.post),
            CSRFField.node(csrf),
            roleSelect(id: "role-\(user.username)", selected: user.role),
            .button(.type(.submit), .text("Change"))
        )
    }

    private static func toggleForm(_ user: User, csrf: String) -> Node<HTML.BodyContext> {
        let name = user.username
        let confirm = user.disabled ? "" : "Disable \(name)? Their sessions end now."
        let button: Node<HTML.FormContext> = .button(
            .type(.submit), .attribute(.class, user.disabled ? "" : "danger"),
            .attribute(.data("confirm"), confirm),
            .text(user.disabled ? "Enable" : "Disable"))
        return .form(
            .class("inline"),
            .attribute(.action, SitePath.adminUser(name) + (user.disabled ? "/enable" : "/disable")),
            .method(.post), CSRFField.node(csrf), button)
    }

    private static func resetForm(_ user: User, csrf: String) -> Node<HTML.BodyContext> {
        let button: Node<HTML.FormContext> = .button(
            .type(.submit),
            .attribute(.data("confirm"), "Generate a new password for \(user.username)?"),
            .text("Reset password"))
        return .form(
            .class("inline"), .attribute(.action, SitePath.adminUser(user.username) + "/password"),
            .method(.post),
            CSRFField.node(csrf), button)
    }

    static func roleSelect(id: String, selected: Role) -> Node<HTML.FormContext> {
        .select(
            .attribute(.id, id), .attribute(named: "name", value: "role"),
            .attribute(named: "aria-label", value: "Role"),
            .forEach(Role.allCases) { role in
                .option(
                    .attribute(.value, role.rawValue), .attribute(.label, role.rawValue),
                    .isSelected(role == selected))
            })
    }
}
