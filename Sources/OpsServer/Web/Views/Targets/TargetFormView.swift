import OpsCore
import Plot

/// The add/edit form for a target (admins only).
enum TargetFormView {
    struct Choices {
        var credentials: [String]
        var jumpHosts: [String]
    }

    struct Values {
        var name = ""
        var address = ""
        var port = ""
        var transport = "ssh"
        var os = "linux"
        var credential = ""
        var username = ""
        var tags = ""
        var hostKeyPolicy = ""
        var jump = ""
        var winrmAuth = ""
        var winrmScheme = ""
        /// "" (verify) or "off".
        var tlsVerify = ""
        var tlsCABundle = ""
        var winrmCodepage = ""

        init() {}

        init(_ target: Target) {
            name = target.name
            address = target.address
            port = target.port > 0 ? String(target.port) : ""
            transport = target.transport
            os = target.os
            credential = target.$credential.value??.name ?? ""
            username = target.username ?? ""
            tags = InventoryNav.tagText(target.tags)
            hostKeyPolicy = target.hostKeyPolicy ?? ""
            jump = target.$jumpTarget.value??.name ?? ""
            winrmAuth = target.winrmAuth ?? ""
            winrmScheme = target.winrmScheme ?? ""
            tlsVerify = target.tlsVerify == false ? "off" : ""
            tlsCABundle = target.tlsCABundle ?? ""
            winrmCodepage = target.winrmCodepage.map(String.init) ?? ""
        }
    }

    static func form(
        action: String, values: Values, choices: Choices, creating: Bool, csrf: String
    ) -> Node<HTML.BodyContext> {
        .form(
            .attribute(.action, action), .method(.post), .class("stacked narrow-form"),
            CSRFField.node(csrf),
            .if(
                creating,
                .group(
                    .label(.for("t-name"), .text("Name")),
                    .input(
                        .type(.text), .id("t-name"), .name("name"), .attribute(.value, values.name),
                        .required(true)))),
            .label(.for("t-address"), .text("Address (host name or IP)")),
            .input(.type(.text), .id("t-address"), .name("address"), .attribute(.value, values.address)),
            .label(.for("t-port"), .text("Port (empty: the transport's default)")),
            .input(.type(.number), .id("t-port"), .name("port"), .attribute(.value, values.port)),
            .label(.for("t-transport"), .text("Transport")),
            InventoryNav.select(
                id: "t-transport", name: "transport", values: TransportKind.allCases.map(\.rawValue),
                selected: values.transport),
            .label(.for("t-os"), .text("OS")),
            InventoryNav.select(id: "t-os", name: "os", values: OSFamily.allCases.map(\.rawValue), selected: values.os),
            .label(.for("t-credential"), .text("Credential (empty: from a group or the default)")),
            InventoryNav.select(
                id: "t-credential", name: "credential", values: choices.credentials, selected: values.credential,
                empty: "none"),
            .label(.for("t-username"), .text("Login name (empty: the credential's)")),
            .input(.type(.text), .id("t-username"), .name("username"), .attribute(.value, values.username)),
            .label(.for("t-tags"), .text("Tags")),
            .input(
                .type(.text), .id("t-tags"), .name("tags"), .attribute(.value, values.tags),
                .placeholder("env=prod, role=web")),
            .label(.for("t-policy"), .text("Host key policy")),
            InventoryNav.select(
                id: "t-policy", name: "host_key_policy", values: ["strict", "accept-new"],
                selected: values.hostKeyPolicy,
                empty: "server default (strict)"),
            .label(.for("t-jump"), .text("Jump host")),
            InventoryNav.select(
                id: "t-jump", name: "jump", values: choices.jumpHosts, selected: values.jump, empty: "none"),
            winrmFields(values),
            .button(.type(.submit), .class("primary"), .text(creating ? "Add target" : "Save changes"))
        )
    }

    /// The settings of `winrm` targets; left empty, a target takes the defaults.
    static func winrmFields(_ values: Values) -> Node<HTML.FormContext> {
        .fieldset(
            .element(named: "legend", text: "Windows (winrm transport only)"),
            .label(.for("t-winrm-auth"), .text("Authentication")),
            InventoryNav.select(
                id: "t-winrm-auth", name: "winrm_auth", values: ["ntlm", "negotiate", "basic"],
                selected: values.winrmAuth, empty: "default (ntlm)"),
            .label(.for("t-winrm-scheme"), .text("Scheme")),
            InventoryNav.select(
                id: "t-winrm-scheme", name: "winrm_scheme", values: ["http", "https"], selected: values.winrmScheme,
                empty: "default (https on port 5986, else http)"),
            .label(.for("t-tls-verify"), .text("TLS certificate verification")),
            .select(
                .attribute(.id, "t-tls-verify"), .attribute(.name, "tls_verify"),
                .option(.value(""), .attribute(.label, "verify (default)"), .isSelected(values.tlsVerify != "off")),
                .option(
                    .value("off"), .attribute(.label, "off: any certificate (not recommended)"),
                    .isSelected(values.tlsVerify == "off"))),
            .label(.for("t-tls-ca"), .text("CA bundle (PEM file on the server; empty: the server's default)")),
            .input(
                .type(.text), .id("t-tls-ca"), .name("tls_ca_bundle"), .attribute(.value, values.tlsCABundle),
                .placeholder("/etc/pcm-ops/windows-ca.pem")),
            .label(.for("t-winrm-codepage"), .text("Code page (empty: 65001, UTF-8)")),
            .input(
                .type(.number), .id("t-winrm-codepage"), .name("winrm_codepage"),
                .attribute(.value, values.winrmCodepage))
        )
    }

    static func renderNew(values: Values, choices: Choices, context: PageContext, error: String?) -> HTML {
        Layout.page(
            title: "Add target", context: context,
            content: .group(
                .h1("Add target"),
                InventoryNav.render(current: "", role: context.role),
                .unwrap(error) { .div(.class("flash flash-error"), .text($0)) },
                form(
                    action: SitePath.newTarget, values: values, choices: choices, creating: true,
                    csrf: context.csrfToken ?? "")
            ))
    }
}
