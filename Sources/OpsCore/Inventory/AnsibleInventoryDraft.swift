/// What an Ansible inventory file says, before group variables reach hosts.
///
/// The YAML and INI readers fill a draft; ``resolve()`` then applies Ansible's rules the same way for both.
struct AnsibleInventoryDraft {
    /// A variable value as the readers see it.
    enum Value: Equatable {
        /// A scalar, as written (`22`, `true`, `prod`).
        case text(String)
        /// An explicit null or an empty value: the same as not setting the variable.
        case null
        /// An Ansible Vault ciphertext, which cannot be used without the vault password.
        case vault
        /// A list of scalars (YAML), for the few variables that take a list (`ansible_winrm_transport`).
        case list([String])
        /// A mapping, or a list holding more than scalars; only scalars are used.
        case structured

        /// The scalar text, nil for anything else.
        var text: String? {
            if case .text(let text) = self { text } else { nil }
        }

        /// A scalar as a one-item list, or the list's items; nil for anything else.
        var texts: [String]? {
            switch self {
            case .text(let text): [text]
            case .list(let items): items
            default: nil
            }
        }
    }

    struct Group {
        var name: String
        var line: Int
        var hosts: [String] = []
        /// The same names as `hosts`, for quick membership checks in large ranges.
        var hostSet: Set<String> = []
        var children: [(name: String, line: Int)] = []
        var vars: [String: Value] = [:]
        /// `ansible_group_priority`: among groups at the same depth, the higher priority's variables win. Ansible
        /// keeps it out of the group's variables, and so does the draft.
        var priority = 1
        /// An `ansible_group_priority` that is not a whole number, as written; the group's hosts are refused.
        var invalidPriority: String?
    }

    private(set) var groups: [String: Group] = [:]
    private(set) var groupOrder: [String] = []
    private(set) var hostOrder: [String] = []
    private(set) var hostLines: [String: Int] = [:]
    private(set) var hostVars: [String: [String: Value]] = [:]
    private(set) var rejections: [InventoryRejection] = []

    init() {
        groups["all"] = Group(name: "all", line: 1)
        groups["ungrouped"] = Group(name: "ungrouped", line: 1)
    }

    /// Makes sure `name` exists, remembering the first line that mentions it.
    mutating func declareGroup(_ name: String, line: Int) throws(InventoryError) {
        guard groups[name] == nil else { return }
        guard Self.isValidGroupName(name) else { throw .invalidGroupName(line: line, name: name) }
        groups[name] = Group(name: name, line: line)
        groupOrder.append(name)
    }

    /// Merges `vars` into the group's variables; later definitions win. `ansible_group_priority` sets the
    /// group's priority instead, as Ansible's `Group.set_variable` does (an empty value is ignored, as there).
    mutating func addVars(_ vars: [String: Value], toGroup name: String, line: Int) throws(InventoryError) {
        try declareGroup(name, line: line)
        var vars = vars
        switch vars.removeValue(forKey: "ansible_group_priority") {
        case .text(let text):
            if let priority = Int(text.trimmingCharacters(in: .whitespaces)) {
                groups[name]?.priority = priority
                groups[name]?.invalidPriority = nil
            } else {
                groups[name]?.invalidPriority = "'\(text)'"
            }
        case .vault: groups[name]?.invalidPriority = "(encrypted with Ansible Vault)"
        case .structured, .list: groups[name]?.invalidPriority = "(a list or mapping)"
        case .null, nil: break
        }
        groups[name]?.vars.merge(vars) { _, new in new }
    }

    /// Records that `child` is a child group of `parent`.
    mutating func addChild(_ child: String, to parent: String, line: Int) throws(InventoryError) {
        try declareGroup(parent, line: line)
        try declareGroup(child, line: line)
        guard groups[parent]?.children.contains(where: { $0.name == child }) == false else { return }
        groups[parent]?.children.append((child, line))
    }

    /// Adds the hosts a pattern such as `web[01:03]:2222` stands for to `group`, with their own variables.
    ///
    /// The pattern is read as Ansible's `parse_address` reads it: `[address]:port`, `name:port` (one colon, outside
    /// any range) or a bare name or address, so a bare IPv6 address such as `2001:db8::10` is one host without a
    /// port. A port becomes `ansible_port`, beneath the host's own variables. A bad pattern or name becomes a
    /// rejection.
    mutating func addHosts(
        pattern: String, to group: String, vars: [String: Value], line: Int
    ) throws(InventoryError) {
        try declareGroup(group, line: line)
        let (base, port) = Self.splitPort(pattern)
        var vars = vars
        if let port { vars = ["ansible_port": .text(port)].merging(vars) { _, explicit in explicit } }
        let names: [String]
        if TargetAddress.isIPv6(base) {
            names = [base]
        } else {
            do throws(InventoryError) {
                names = try HostPattern.expand(base)
            } catch {
                return reject(line: line, name: base, reason: error.description)
            }
        }
        for name in names {
            switch TargetName.validateHost(name) {
            case .failure(let error): reject(line: line, name: name, reason: error.description)
            case .success: addHost(name, to: group, vars: vars, line: line)
            }
        }
    }

    /// Records a host or line that cannot be imported.
    mutating func reject(line: Int, name: String?, reason: String) {
        rejections.append(InventoryRejection(line: line, name: name, reason: reason))
    }

    private mutating func addHost(_ name: String, to group: String, vars: [String: Value], line: Int) {
        if hostLines[name] == nil {
            hostLines[name] = line
            hostOrder.append(name)
        }
        hostVars[name, default: [:]].merge(vars) { _, new in new }
        if groups[group]?.hostSet.insert(name).inserted == true { groups[group]?.hosts.append(name) }
    }

    /// The host part and the port of a pattern, as in Ansible's `parse_address`: `[host]:port` (the only way to
    /// give an IPv6 address a port), else `host:port` when the host has no colon outside `[x:y]` ranges.
    static func splitPort(_ pattern: String) -> (host: String, port: String?) {
        func isPort(_ text: Substring) -> Bool { !text.isEmpty && text.allSatisfy { ("0"..."9").contains($0) } }
        if pattern.hasPrefix("["), let close = pattern.lastIndex(of: "]"),
            pattern[pattern.index(after: close)...].first == ":",
            case let port = pattern[pattern.index(close, offsetBy: 2)...], isPort(port),
            case let inside = pattern[pattern.index(after: pattern.startIndex)..<close], !inside.isEmpty,
            !inside.contains("[")
        {
            return (String(inside), String(port))
        }
        var depth = 0
        var colon: String.Index?
        for index in pattern.indices {
            switch pattern[index] {
            case "[": depth += 1
            case "]": depth -= 1
            case ":" where depth == 0:
                guard colon == nil else { return (pattern, nil) }  // several colons: an IPv6 address, not name:port
                colon = index
            default: break
            }
        }
        guard let colon, isPort(pattern[pattern.index(after: colon)...]) else { return (pattern, nil) }
        return (String(pattern[..<colon]), String(pattern[pattern.index(after: colon)...]))
    }

    /// Ansible group names: letters, digits, `_`, `.` and `-` (Ansible itself warns about the last two).
    static func isValidGroupName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                TargetName.isAlphanumeric($0) || $0 == "_" || $0 == "-" || $0 == "."
            }
    }
}
