/// Turns a host's merged Ansible variables into an ``InventoryHost``.
///
/// | variable | becomes |
/// | --- | --- |
/// | `ansible_connection` | transport: `ssh`, `paramiko`, `smart` → ssh; `winrm`, `psrp` → winrm; `local` → local |
/// | `ansible_host` | address; the host name when absent |
/// | `ansible_port` | port, 1–65535 |
/// | `ansible_user` | user |
/// | `ansible_private_key_file` | privateKeyFile |
/// | `ansible_password` | password |
/// | `ansible_os_family`, `os` | os: windows when either says Windows or the connection is WinRM, else linux |
/// | `ansible_winrm_transport`, `_scheme`, `_server_cert_validation`, `_ca_trust_path` (psrp: its own) | winrm (``AnsibleWinRMVariables``) |
/// | any other scalar not starting with `ansible_` | a tag, key lower-cased, value as written |
///
/// Each connection plugin also reads its own spellings (``ConnectionVariables``): `ssh` reads
/// `ansible_ssh_host`, `ansible_ssh_port`, `ansible_ssh_user`, `ansible_ssh_pass`; `winrm` reads
/// `ansible_winrm_host` and so on, and ignores the `ssh` ones. When several spellings are set, the one Ansible
/// uses wins: the last in the plugin's list, so `ansible_ssh_port` beats `ansible_port` wherever each was set.
///
/// A variable becomes a tag only when it makes a valid tag (``Tags``) and its name does not suggest a
/// secret (`pass`, `secret`, `token`), so a `db_password` never ends up displayed as a label.
/// Jinja templates (`{{ … }}`) are not evaluated: they are taken as written.
enum AnsibleHostVariables {
    typealias Value = AnsibleInventoryDraft.Value

    /// `ansible_connection` values, with their `ansible.builtin.` names.
    static let connections: [String: TransportKind] = [
        "ssh": .ssh, "paramiko": .ssh, "paramiko_ssh": .ssh, "smart": .ssh, "winrm": .winrm, "psrp": .winrm,
        "local": .local,
    ]

    static func host(
        name: String, line: Int, groups: [String], vars: [String: Value]
    ) -> HostOutcome {
        func reject(_ reason: String) -> HostOutcome {
            .rejected(InventoryRejection(line: line, name: name, reason: reason))
        }
        /// The variable Ansible's config manager picks (`_loop_entries`): the last of `names` that is set.
        func lookup(_ names: [String]) -> (name: String, value: Value)? {
            names.reversed().lazy.compactMap { key in vars[key].flatMap { $0 == .null ? nil : (key, $0) } }.first
        }
        var host = InventoryHost(name: name, address: name, groups: groups, line: line)
        var plugin = "ssh"
        if let (_, value) = lookup(["ansible_connection"]) {
            let text = value.text?.lowercased() ?? ""
            let short = text.hasPrefix("ansible.builtin.") ? String(text.dropFirst("ansible.builtin.".count)) : text
            guard let transport = connections[short] else {
                let supported = connections.keys.sorted().joined(separator: ", ")
                return reject("ansible_connection '\(value.text ?? "")' is not supported; use one of: \(supported)")
            }
            host.transport = transport
            plugin = short
        }
        let names = ConnectionVariables.of(plugin: plugin)
        if let (key, value) = lookup(names.address) {
            guard let text = value.text else { return reject("\(key) must be a single hostname or IP address") }
            switch TargetAddress.validate(text) {
            case .success(let address): host.address = address
            case .failure(let error): return reject("\(key): \(error.description)")
            }
        }
        if let (key, value) = lookup(names.port) {
            guard let text = value.text, let port = Int(text), (1...65535).contains(port) else {
                let shown = value.text.map { " '\($0)'" } ?? ""
                return reject("\(key)\(shown) is not a port number between 1 and 65535")
            }
            host.port = port
        }
        if let (key, value) = lookup(names.user) {
            guard let text = value.text else { return reject("\(key) must be a single user name") }
            host.user = text
        }
        if let (key, value) = lookup(names.privateKeyFile) {
            guard let text = value.text else { return reject("\(key) must be a file path") }
            host.privateKeyFile = text
        }
        if let (key, value) = lookup(names.password) ?? lookup(names.playContextPassword) {
            switch value {
            case .text(let text): host.password = text
            case .vault: return reject("\(key) is encrypted with Ansible Vault; decrypt it before importing")
            case .null, .structured, .list: return reject("\(key) must be a single string")
            }
        }
        if host.transport == .winrm {
            switch AnsibleWinRMVariables.settings(plugin: plugin, port: host.port, lookup: lookup) {
            case .success(let settings): host.winrm = settings.isEmpty ? nil : settings
            case .failure(let reason): return reject(reason.message)
            }
        }
        let windowsConnection = host.transport == .winrm
        let saysWindows = ["ansible_os_family", "os"].contains { vars[$0]?.text?.lowercased() == "windows" }
        host.os = windowsConnection || saysWindows ? .windows : .linux
        host.tags = tags(from: vars)
        return .accepted(host)
    }

    /// Scalar variables that make valid, non-secret tags, keys lower-cased.
    static func tags(from vars: [String: Value]) -> [String: String] {
        var tags: [String: String] = [:]
        // Sorted so that when `Env` and `env` are both set, the result does not depend on hashing.
        for (key, value) in vars.sorted(by: { $0.key < $1.key })
        where !key.lowercased().hasPrefix("ansible_") && !isSecretName(key) {
            guard let text = value.text, Tags.isValid(key: key, value: text) else { continue }
            tags[key.lowercased()] = text
        }
        return tags
    }

    /// Scalar variables safe to show, for ``InventoryGroup/vars``.
    static func visibleVars(_ vars: [String: Value]) -> [String: String] {
        var visible: [String: String] = [:]
        for (key, value) in vars where !isSecretName(key) {
            if let text = value.text { visible[key] = text }
        }
        return visible
    }

    /// Whether a variable name suggests a secret (`ansible_password`, `db_pass`, `api_token`, …).
    static func isSecretName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return ["pass", "secret", "token"].contains { lowered.contains($0) }
    }
}
