import Foundation
import OpsCore
import OpsSSH
import Plot

/// `/targets/{name}`: facts, the last connection test, recent runs, run a tool here, groups, test connection, and
/// (admins) edit and delete.
enum TargetDetailView {
    static let recentRunLimit = 10

    struct Model {
        var target: Target
        var groups: [String]
        var choices: TargetFormView.Choices
        var test: ConnectionTestResult?
        var formValues: TargetFormView.Values?
        var error: String?
        /// The newest runs that included the target, newest first.
        var recentRuns: [TargetActivity.RunOnTarget] = []
        /// The last connection test, kept from any page or the API.
        var lastCheck: TargetCheck?
        /// The tools whose platforms fit the target (id, name).
        var tools: [(id: String, name: String)] = []
    }

    static func render(_ model: Model, context: PageContext) -> HTML {
        let target = model.target
        let csrf = context.csrfToken ?? ""
        let canTest = context.role.map { $0.allows(.operator) } ?? false
        return Layout.page(
            title: target.name, context: context,
            content: .group(
                Breadcrumbs.render([.init("Targets", SitePath.targets), .init(target.name)]),
                .h1(.text(target.name)),
                InventoryNav.render(current: "", role: context.role),
                .unwrap(model.error) { .div(.class("flash flash-error"), .text($0)) },
                .unwrap(model.test) { testResult($0) },
                .dl(
                    .class("facts"),
                    addressFacts(target),
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
                    .dt("Credential"),
                    .dd(
                        .text(
                            target.$credential.value??.name
                                ?? TargetDisplay.credentialNotNeeded(transport: target.transport)
                                ?? "from a group or the default")),
                    .dt("Login name"), .dd(.text(target.username ?? "the credential's")),
                    .dt("Tags"), .dd(.text(InventoryNav.tagText(target.tags).nonEmpty ?? "—")),
                    .dt("Groups"), .dd(.text(model.groups.joined(separator: ", ").nonEmpty ?? "—")),
                    connectionFacts(target),
                    .dt("Source"), .dd(.text(target.source)),
                    .dt("Last connection test"), .dd(.id("last-check"), lastCheck(model.lastCheck))
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
                .if(canTest && !model.tools.isEmpty, runHere(target, tools: model.tools, csrf: csrf)),
                recentRuns(target, model.recentRuns),
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

    /// Where the target is: a local target runs on this server, with no address or port to show.
    private static func addressFacts(_ target: Target) -> Node<HTML.DescriptionListContext> {
        if target.transport == TransportKind.local.rawValue {
            return .group(.dt("Address"), .dd(.text("this server (the local transport runs on the PCM-Ops host)")))
        }
        return .group(
            .dt("Address"), .dd(.text(target.address)),
            .dt("Port"), .dd(.text(target.port > 0 ? String(target.port) : "—")))
    }

    private static func lastCheck(_ check: TargetCheck?) -> Node<HTML.BodyContext> {
        guard let check else { return .text("never tested") }
        return .group(
            TargetDisplay.check(check),
            .text(check.checkedBy.map { " by \($0)" } ?? ""),
            .unwrap(check.ok ? nil : check.message) { .span(.class("bad"), .text(" — " + $0)) })
    }

    /// "Run a tool here": the tool's run form opens with this target selected.
    private static func runHere(_ target: Target, tools: [(id: String, name: String)], csrf: String)
        -> Node<HTML.BodyContext>
    {
        .form(
            .class("run-here"), .id("run-here"), .action(SitePath.targetSelection), .method(.post),
            CSRFField.node(csrf),
            .input(.type(.hidden), .name("targets[]"), .attribute(.value, target.name)),
            .label(.for("run-here-tool"), .text("Run a tool here")),
            .select(
                .id("run-here-tool"), .attribute(named: "name", value: "tool"),
                .forEach(tools) { .option(.attribute(.value, $0.id), .attribute(.label, "\($0.name) (\($0.id))")) }),
            .button(.type(.submit), .class("primary"), .text("Open the run form")))
    }

    private static func recentRuns(_ target: Target, _ runs: [TargetActivity.RunOnTarget]) -> Node<HTML.BodyContext> {
        .element(
            named: "section",
            nodes: [
                .id("recent-runs"),
                .div(
                    .class("section-head"),
                    .h2("Recent runs"),
                    .a(
                        .attribute(.href, SitePath.runs + "?" + QueryString.encode(["target": target.name])),
                        .text("All runs on \(target.name)"))),
                .if(
                    runs.isEmpty, .p(.class("muted"), .text("No run has included this target yet.")),
                    else: .div(
                        .class("table-wrap"),
                        .table(
                            .thead(
                                .tr(
                                    .th("Run"), .th("Tool"), .th("Here"), .th("Run status"), .th("By"),
                                    .th("Created"))),
                            .tbody(
                                .forEach(runs) { run in
                                    .tr(
                                        .td(
                                            .a(
                                                .class("run-id"),
                                                .attribute(
                                                    .href,
                                                    SitePath.run(run.runID) + "?"
                                                        + QueryString.encode(["target": target.name])),
                                                .code(.text(run.runID)))),
                                        .td(.text(run.reference)), .td(TargetDisplay.outcome(run)),
                                        .td(RunBadge.node(run.runStatus)), .td(.text(run.requestedBy)),
                                        .td(DisplayTime.node(run.createdAt)))
                                })))),
            ])
    }

    /// One connection test's result; `id` names the box when the page shows one result (nil when it shows many).
    static func testResult(_ result: ConnectionTestResult, id: String? = "test-result") -> Node<HTML.BodyContext> {
        .div(
            .attribute(.class, "flash test-result " + (result.ok ? "flash-success" : "flash-error")),
            .unwrap(id) { .attribute(.id, $0) },
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
