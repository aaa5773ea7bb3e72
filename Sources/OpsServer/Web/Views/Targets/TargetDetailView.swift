import OpsCore
import Plot

/// `/targets/{name}`: facts, groups, test connection, and (admins) edit and delete.
enum TargetDetailView {
    struct Model {
        var target: Target
        var groups: [String]
        var choices: TargetFormView.Choices
        var test: ConnectionTestResult?
        var formValues: TargetFormView.Values?
        var error: String?
    }

    static func render(_ model: Model, context: PageContext) -> HTML {
        let target = model.target
        let csrf = context.csrfToken ?? ""
        let canTest = context.role.map { $0.allows(.operator) } ?? false
        return Layout.page(
            title: target.name, context: context,
            content: .group(
                .h1(.text(target.name)),
                InventoryNav.render(current: "", role: context.role),
                .unwrap(model.error) { .div(.class("flash flash-error"), .text($0)) },
                .unwrap(model.test) { testResult($0) },
                .dl(
                    .class("facts"),
                    .dt("Address"), .dd(.text(target.address)),
                    .dt("Port"), .dd(.text(target.port > 0 ? String(target.port) : "—")),
                    .dt("Transport"), .dd(.text(target.transport)),
                    .unwrap(target.instanceID) { instance in
                        .group(
                            .dt("EC2 instance"), .dd(.code(.text(instance))),
                            .dt("AWS"),
                            .dd(
                                .text(
                                    "\((target.awsEnvironment ?? "?").uppercased()) account \(target.awsAccount ?? "?") "
                                        + "in \(target.awsRegion ?? "?")")))
                    },
                    .dt("OS"), .dd(.text(target.os)),
                    .dt("Credential"), .dd(.text(target.$credential.value??.name ?? "from a group or the default")),
                    .dt("Login name"), .dd(.text(target.username ?? "the credential's")),
                    .dt("Tags"), .dd(.text(InventoryNav.tagText(target.tags).nonEmpty ?? "—")),
                    .dt("Groups"), .dd(.text(model.groups.joined(separator: ", ").nonEmpty ?? "—")),
                    .dt("Host key policy"), .dd(.text(target.hostKeyPolicy ?? "strict")),
                    .dt("Jump host"), .dd(.text(target.$jumpTarget.value??.name ?? "—")),
                    .dt("Source"), .dd(.text(target.source))
                ),
                .if(
                    canTest,
                    .form(
                        .class("inline"), .attribute(.action, SitePath.target(target.name) + "/test"),
                        .method(.post),
                        CSRFField.node(csrf), .button(.type(.submit), .class("primary"), .text("Test connection")))),
                .if(
                    context.role == .admin,
                    .group(
                        .h2("Edit"),
                        TargetFormView.form(
                            action: SitePath.target(target.name), values: model.formValues ?? .init(target),
                            choices: model.choices, creating: false, csrf: csrf),
                        .h2("Delete"),
                        .form(
                            .class("inline"), .attribute(.action, SitePath.target(target.name) + "/delete"),
                            .method(.post),
                            CSRFField.node(csrf),
                            .button(
                                .type(.submit), .class("danger"),
                                .attribute(.data("confirm"), "Delete the target \(target.name)?"),
                                .text("Delete target")))
                    ))
            ))
    }

    static func testResult(_ result: ConnectionTestResult) -> Node<HTML.BodyContext> {
        .div(
            .attribute(.class, "flash " + (result.ok ? "flash-success" : "flash-error")), .id("test-result"),
            .p(
                .strong(.text(result.ok ? "Connection OK" : "Connection failed at \(result.failedStage ?? "?")")),
                .text(": " + result.message)),
            .if(
                !result.timings.isEmpty,
                .p(
                    .class("muted"),
                    .text(
                        result.timings.map { "\($0.stage) \(Int($0.milliseconds.rounded())) ms" }.joined(
                            separator: " · "))))
        )
    }
}
