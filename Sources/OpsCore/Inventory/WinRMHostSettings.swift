/// How an inventory says to reach a Windows host over WinRM, beyond address, port and login: what
/// Ansible's `winrm` plugin (and pywinrm under it) or its `psrp` plugin reads. nil fields: the target's
/// defaults (NTLM; https on port 5986; certificates verified).
public struct WinRMHostSettings: Sendable, Equatable {
    /// ntlm | negotiate | basic
    public var authentication: String?
    /// http | https
    public var scheme: String?
    /// false when the inventory turns certificate validation off (`ignore`).
    public var verifyCertificates: Bool?
    /// PEM file of the CAs to trust (`ansible_winrm_ca_trust_path`, `ansible_psrp_ca_cert`).
    public var caBundle: String?

    public init(
        authentication: String? = nil, scheme: String? = nil, verifyCertificates: Bool? = nil, caBundle: String? = nil
    ) {
        self.authentication = authentication
        self.scheme = scheme
        self.verifyCertificates = verifyCertificates
        self.caBundle = caBundle
    }

    /// True when the inventory said nothing beyond the defaults.
    public var isEmpty: Bool { self == WinRMHostSettings() }
}

/// Reads ``WinRMHostSettings`` from a `winrm` or `psrp` host's variables.
///
/// | winrm | psrp | becomes |
/// | --- | --- | --- |
/// | `ansible_winrm_transport` (a list: the first PCM-Ops supports) | `ansible_psrp_auth` | authentication |
/// | `ansible_winrm_scheme` | `ansible_psrp_protocol` | scheme |
/// | `ansible_winrm_server_cert_validation: ignore` | `ansible_psrp_cert_validation: ignore` | no verification |
/// | `ansible_winrm_ca_trust_path` | `ansible_psrp_ca_cert`, `ansible_psrp_cert_trust_path` | CA bundle |
///
/// pywinrm's `plaintext` and `ssl` are Basic (over http and https). Kerberos, CredSSP and certificate
/// authentication are out of scope: a host that allows only those is refused with that reason. Without
/// a scheme, Ansible uses https unless the port is 5985; PCM-Ops's own default (https on 5986 only) is
/// kept where the two agree and the scheme is made explicit where they do not.
enum AnsibleWinRMVariables {
    typealias Value = AnsibleInventoryDraft.Value

    static let authentications = [
        "ntlm": "ntlm", "negotiate": "negotiate", "basic": "basic", "plaintext": "basic", "ssl": "basic",
    ]
    static let outOfScope: Set = ["kerberos", "credssp", "certificate"]

    /// The settings, or why the host cannot be imported.
    static func settings(
        plugin: String, port: Int?, lookup: ([String]) -> (name: String, value: Value)?
    ) -> Result<WinRMHostSettings, InventoryRejectionReason> {
        let psrp = plugin == "psrp"
        var settings = WinRMHostSettings()
        let authName = psrp ? "ansible_psrp_auth" : "ansible_winrm_transport"
        if let (key, value) = lookup([authName]) {
            let listed = (value.texts ?? []).flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
            if let supported = listed.lazy.compactMap({ authentications[$0] }).first {
                settings.authentication = supported
            } else if listed.contains(where: outOfScope.contains) {
                return .failure(
                    .init(
                        "\(key) '\(listed.joined(separator: ","))': Kerberos, CredSSP and certificate authentication are "
                            + "out of scope; use ntlm, negotiate or basic"))
            } else {
                return .failure(.init("\(key) must name ntlm, negotiate or basic, got '\(value.text ?? "")'"))
            }
        }
        let schemeName = psrp ? "ansible_psrp_protocol" : "ansible_winrm_scheme"
        if let (key, value) = lookup([schemeName]) {
            guard let scheme = value.text?.lowercased(), ["http", "https"].contains(scheme) else {
                return .failure(.init("\(key) must be http or https"))
            }
            settings.scheme = scheme
        } else if let port, port != 5985, port != 5986 {
            settings.scheme = "https"
        }
        let validationName = psrp ? "ansible_psrp_cert_validation" : "ansible_winrm_server_cert_validation"
        if let (key, value) = lookup([validationName]) {
            switch value.text?.lowercased() {
            case "ignore": settings.verifyCertificates = false
            case "validate": break
            default: return .failure(.init("\(key) must be validate or ignore"))
            }
        }
        let bundleNames =
            psrp ? ["ansible_psrp_cert_trust_path", "ansible_psrp_ca_cert"] : ["ansible_winrm_ca_trust_path"]
        if let (key, value) = lookup(bundleNames) {
            guard let path = value.text, !path.isEmpty else { return .failure(.init("\(key) must be a file path")) }
            settings.caBundle = path
        }
        return .success(settings)
    }
}

/// Why a host's variables cannot be imported (becomes an ``InventoryRejection``).
struct InventoryRejectionReason: Error, Equatable {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}
