import OpsCore
import OpsSSH
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
                    connectionFacts(target),
                    .dt("Source"), .dd(.text(target.source))
                ),
                .if(
                    canTest,
                    .form(
                        .class("inline"), .attribute(.action, SitePath.target(target.name) + "/test"),
                        .method(.post),
                        CSRFField.node(csrf),
                        .if(
                            target.transport == TransportKind.winrm.rawValue,
                            .label(
                                .class("checkbox"),
                                .input(.type(.checkbox), .name("admin"), .value("true")),
                                .text(" Require an elevated session "))),
                        .button(.type(.submit), .class("primary"), .text("Test connection")))),
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
                            separator: " · ")))),
            .if(
                !result.facts.isEmpty,
                .dl(
                    .class("facts"),
                    .forEach(result.facts.sorted { $0.key < $1.key }) { fact in
                        .group(.dt(.text(fact.key)), .dd(.text(fact.value)))
                    }))
        )
    }

    /// How the target is reached: WinRM settings, or the SSH host key policy (accept-new flagged) and jump host.
    static func connectionFacts(_ target: Target) -> Node<HTML.DescriptionListContext> {
        if target.transport == TransportKind.winrm.rawValue { return winrmFacts(target) }
        let acceptNew: Node<HTML.BodyContext> =
            target.hostKeyPolicy == HostKeyPolicy.acceptNew.rawValue
            ? .span(.class("badge badge-warning"), .text("trusts unknown host keys")) : .empty
        return .group(
            .dt("Host key policy"), .dd(.text(target.hostKeyPolicy ?? "strict"), acceptNew),
            .dt("Jump host"), .dd(.text(target.$jumpTarget.value??.name ?? "—")))
    }

    /// How a `winrm` target is reached, with the effective defaults; verification off is flagged.
    static func winrmFacts(_ target: Target) -> Node<HTML.DescriptionListContext> {
        let endpoint = target.winrmEndpoint(defaultCABundle: nil)
        let verification: Node<HTML.BodyContext> =
            if endpoint.scheme == .http {
                .text("not used over http (NTLM encrypts every message)")
            } else if target.tlsVerify == false {
                .group(
                    .text("off "), .span(.class("badge badge-warning"), .text("accepts any certificate")))
            } else if let bundle = target.tlsCABundle {
                .group(.text("verified against "), .code(.text(bundle)))
            } else {
                .text("verified (the server's CA bundle, else the system store)")
            }
        var how = " · " + endpoint.authentication.rawValue
        if target.winrmAuth == nil { how += " (default)" }
        if target.winrmScheme == nil { how += " · scheme from the port" }
        let codepage = target.winrmCodepage.map(String.init) ?? "65001 (UTF-8, default)"
        return .group(
            .dt("WinRM"), .dd(.code(.text(endpoint.url)), .text(how)),
            .dt("TLS certificates"), .dd(verification),
            .dt("Code page"), .dd(.text(codepage)))
    }
}
