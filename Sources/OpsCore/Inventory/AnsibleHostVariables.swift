/// Turns a host's merged Ansible variables into an ``InventoryHost``.
///
/// | variable | becomes |
/// | --- | --- |
/// | `ansible_host` (`ansible_ssh_host`) | address; the host name when absent |
/// | `ansible_port` (`ansible_ssh_port`) | port, 1–65535 |
/// | `ansible_user` (`ansible_ssh_user`) | user |
/// | `ansible_connection` | transport: `ssh`, `paramiko`, `smart` → ssh; `winrm`, `psrp` → winrm; `local` → local |
/// | `ansible_ssh_private_key_file` (`ansible_private_key_file`) | privateKeyFile |
/// | `ansible_password` (`ansible_ssh_pass`) | password |
/// | `ansible_os_family`, `os` | os: windows when either says Windows or the connection is WinRM, else linux |
/// | any other scalar not starting with `ansible_` | a tag, key lower-cased, value as written |
///
/// A variable becomes a tag only when it makes a valid tag (``Tags``) and its name does not suggest a
/// secret (`pass`, `secret`, `token`), so a `db_password` never ends up displayed as a label.
/// Jinja templates (`{{ … }}`) are not evaluated: they are taken as written.
enum AnsibleHostVariables {
    typealias Value = AnsibleInventoryDraft.Value

    static let connections: [String: TransportKind] = [
        "ssh": .ssh, "paramiko": .ssh, "smart": .ssh, "winrm": .winrm, "psrp": .winrm, "local": .local,
    ]

    static func host(
        name: String, line: Int, groups: [String], vars: [String: Value]
    ) -> HostOutcome {
        func reject(_ reason: String) -> HostOutcome {
            .rejected(InventoryRejection(line: line, name: name, reason: reason))
        }
        func lookup(_ names: String...) -> (name: String, value: Value)? {
            for key in names { if let value = vars[key], value != .null { return (key, value) } }
            return nil
        }
        var host = InventoryHost(name: name, address: name, groups: groups, line: line)
        if let (key, value) = lookup("ansible_host", "ansible_ssh_host") {
            guard let text = value.text else { return reject("\(key) must be a single hostname or IP address") }
            switch TargetAddress.validate(text) {
            case .success(let address): host.address = address
            case .failure(let error): return reject("\(key): \(error.description)")
            }
        }
        if let (key, value) = lookup("ansible_port", "ansible_ssh_port") {
            guard let text = value.text, let port = Int(text), (1...65535).contains(port) else {
                let shown = value.text.map { " '\($0)'" } ?? ""
                return reject("\(key)\(shown) is not a port number between 1 and 65535")
            }
            host.port = port
        }
        if let (key, value) = lookup("ansible_user", "ansible_ssh_user") {
            guard let text = value.text else { return reject("\(key) must be a single user name") }
            host.user = text
        }
        if let (_, value) = lookup("ansible_connection") {
            let text = value.text?.lowercased() ?? ""
            guard let transport = connections[text] else {
                let supported = connections.keys.sorted().joined(separator: ", ")
                return reject("ansible_connection '\(value.text ?? "")' is not supported; use one of: \(supported)")
            }
            host.transport = transport
        }
        if let (key, value) = lookup("ansible_ssh_private_key_file", "ansible_private_key_file") {
            guard let text = value.text else { return reject("\(key) must be a file path") }
            host.privateKeyFile = text
        }
        if let (key, value) = lookup("ansible_password", "ansible_ssh_pass") {
            switch value {
            case .text(let text): host.password = text
            case .vault: return reject("\(key) is encrypted with Ansible Vault; decrypt it before importing")
            case .null, .structured: return reject("\(key) must be a single string")
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
