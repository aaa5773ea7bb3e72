/// One host read from an inventory file, ready to become a target.
///
/// ``password`` is kept so the importer can seal it into a credential, but it never appears in
/// ``description``, in `debugDescription` or in a reflection (`dump`, test failure output).
public struct InventoryHost: Sendable, Equatable {
    /// The target name (Ansible's inventory hostname).
    public var name: String
    /// Where to connect; Ansible inventories fill in the name when `ansible_host` is absent.
    public var address: String?
    /// The port, when the inventory gives one; nil means the transport's default.
    public var port: Int?
    /// The transport, when the inventory says; nil means the importer's default.
    public var transport: TransportKind?
    /// The operating system family, when the inventory says or implies it.
    public var os: OSFamily?
    /// The login user, when the inventory gives one.
    public var user: String?
    /// Labels for tag selectors (see ``AnsibleInventoryParser`` for which variables become tags).
    public var tags: [String: String]
    /// Every group the host belongs to, directly or through `children`, sorted, without `all`/`ungrouped`.
    public var groups: [String]
    /// Path of the SSH private key file (`ansible_ssh_private_key_file`).
    public var privateKeyFile: String?
    /// Login password (`ansible_password`, `ansible_ssh_pass`). Secret: never log or display it.
    public var password: String?
    /// For WinRM hosts: authentication, scheme and certificate checks, when the inventory names any.
    public var winrm: WinRMHostSettings?
    /// The 1-based source line where the host first appears.
    public var line: Int

    /// A host; only the name and line are required.
    public init(
        name: String, address: String? = nil, port: Int? = nil, transport: TransportKind? = nil,
        os: OSFamily? = nil, user: String? = nil, tags: [String: String] = [:], groups: [String] = [],
        privateKeyFile: String? = nil, password: String? = nil, winrm: WinRMHostSettings? = nil, line: Int
    ) {
        self.winrm = winrm
        self.name = name
        self.address = address
        self.port = port
        self.transport = transport
        self.os = os
        self.user = user
        self.tags = tags
        self.groups = groups
        self.privateKeyFile = privateKeyFile
        self.password = password
        self.line = line
    }
}

extension InventoryHost: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// A one-line summary; the password shows only as `<redacted>`.
    public var description: String {
        var fields = ["name: \(name)", "line: \(line)"]
        if let address { fields.append("address: \(address)") }
        if let port { fields.append("port: \(port)") }
        if let transport { fields.append("transport: \(transport.rawValue)") }
        if let os { fields.append("os: \(os.rawValue)") }
        if let user { fields.append("user: \(user)") }
        if !tags.isEmpty {
            fields.append(
                "tags: \(tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))")
        }
        if !groups.isEmpty { fields.append("groups: \(groups.joined(separator: ","))") }
        if let privateKeyFile { fields.append("privateKeyFile: \(privateKeyFile)") }
        if password != nil { fields.append("password: <redacted>") }
        if let winrm {
            let parts = [
                winrm.authentication, winrm.scheme, winrm.verifyCertificates == false ? "no certificate check" : nil,
                winrm.caBundle.map { "CA bundle \($0)" },
            ]
            fields.append("winrm: \(parts.compactMap { $0 }.joined(separator: " "))")
        }
        return "InventoryHost(\(fields.joined(separator: ", ")))"
    }

    /// Same as ``description``, so `debugPrint` and test failures redact the password too.
    public var debugDescription: String { description }

    /// The fields for `dump` and reflection, with the password redacted.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "name": name, "address": address as Any, "port": port as Any, "transport": transport as Any,
                "os": os as Any, "user": user as Any, "tags": tags, "groups": groups,
                "privateKeyFile": privateKeyFile as Any, "password": password == nil ? "nil" : "<redacted>",
                "winrm": winrm as Any, "line": line,
            ], displayStyle: .struct)
    }
}
