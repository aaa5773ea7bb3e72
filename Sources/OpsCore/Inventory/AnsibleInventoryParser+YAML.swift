import Yams

extension AnsibleInventoryParser {
    /// Reads a YAML inventory: a mapping of group names (usually just `all`) to `hosts`, `vars` and
    /// `children` mappings. An empty document is an empty inventory.
    ///
    /// As Ansible's YAML plugin, a section written as one name (`hosts: web1`, `children: web`) means that one
    /// entry. Whatever else is not shaped like an inventory (a group or section written as a list, an unknown
    /// key, host variables that are not a mapping) is refused on its own, as an ``InventoryRejection``, and the
    /// rest of the file is read; only text that is not YAML, or whose top level is not a mapping, fails the file.
    public static func parseYAML(_ text: String) throws(InventoryError) -> ParsedInventory {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw YAMLReader.convert(error, text: text)
        } catch {
            throw .malformedYAML(line: 1, problem: "the text could not be read as YAML")
        }
        var reader = YAMLReader()
        guard let root, root.null == nil else { return try reader.draft.resolve() }
        guard case .mapping(let groups) = root else {
            throw .unexpectedStructure(
                line: root.mark?.line ?? 1,
                problem: "the top level must be a mapping of group names, such as 'all:'")
        }
        for (key, value) in groups {
            try reader.readGroup(named: try YAMLReader.name(of: key), node: value, line: YAMLReader.line(key))
        }
        return try reader.draft.resolve()
    }
}

/// Walks the Yams node tree of a YAML inventory into an ``AnsibleInventoryDraft``.
private struct YAMLReader {
    var draft = AnsibleInventoryDraft()

    mutating func readGroup(named name: String, node: Node, line: Int) throws(InventoryError) {
        try draft.declareGroup(name, line: line)
        guard
            let entries = entries(
                of: node, what: "group '\(name)'", expected: "a mapping with hosts, vars or children", line: line)
        else { return }
        for (key, value) in entries {
            let keyLine = Self.line(key)
            switch try Self.name(of: key) {
            case "hosts":
                guard
                    let hosts = sectionEntries(
                        value, what: "hosts of '\(name)'", expected: "a mapping of host names, or one host name",
                        line: keyLine)
                else { continue }
                try readHosts(hosts, of: name)
            case "vars":
                guard
                    let vars = sectionEntries(
                        value, what: "vars of '\(name)'", expected: "a mapping of names to values", line: keyLine)
                else { continue }
                try draft.addVars(try Self.vars(vars, what: "vars of '\(name)'"), toGroup: name, line: keyLine)
            case "children":
                guard
                    let children = sectionEntries(
                        value, what: "children of '\(name)'", expected: "a mapping of group names, or one group name",
                        line: keyLine)
                else { continue }
                for (childKey, childValue) in children {
                    let child = try Self.name(of: childKey)
                    try draft.addChild(child, to: name, line: Self.line(childKey))
                    try readGroup(named: child, node: childValue, line: Self.line(childKey))
                }
            case let other:
                draft.reject(
                    line: keyLine, name: nil,
                    reason: "group '\(name)' has an unexpected key '\(other)', which was skipped; only hosts, vars "
                        + "and children are allowed")
            }
        }
    }

    private mutating func readHosts(_ hosts: [(Node, Node)], of group: String) throws(InventoryError) {
        for (key, value) in hosts {
            let pattern = try Self.name(of: key)
            let line = Self.line(key)
            guard value.null != nil || value.mapping != nil else {
                draft.reject(line: line, name: pattern, reason: "host variables must be a mapping of names to values")
                continue
            }
            let vars = try Self.vars(value, what: "variables of host '\(pattern)'")
            try draft.addHosts(pattern: pattern, to: group, vars: vars, line: line)
        }
    }

    /// The pairs of a group's mapping, or nil after refusing a group that is not one.
    private mutating func entries(of node: Node, what: String, expected: String, line: Int) -> [(Node, Node)]? {
        switch node {
        case .mapping(let mapping): return mapping.map { ($0.key, $0.value) }
        case _ where node.null != nil: return []
        case .sequence:
            draft.reject(line: line, name: nil, reason: "\(what) is a list, but must be \(expected); it was skipped")
        case .scalar, .alias:
            draft.reject(line: line, name: nil, reason: "\(what) must be \(expected); it was skipped")
        }
        return nil
    }

    /// The pairs of a `hosts`, `vars` or `children` section, where one name stands for `{name: null}`, as in
    /// Ansible; nil after refusing a section that is neither.
    private mutating func sectionEntries(
        _ node: Node, what: String, expected: String, line: Int
    ) -> [(Node, Node)]? {
        if case .scalar(let scalar) = node, node.null == nil, !scalar.string.isEmpty {
            return [(node, Node("null", Tag(.null), .plain))]
        }
        return entries(of: node, what: what, expected: expected, line: line)
    }

    /// The pairs of a mapping; an empty (null) value counts as an empty mapping.
    static func mapping(_ node: Node, what: String, expected: String) throws(InventoryError) -> [(Node, Node)] {
        if node.null != nil { return [] }
        switch node {
        case .mapping(let mapping): return mapping.map { ($0.key, $0.value) }
        case .sequence:
            throw .unexpectedStructure(line: line(node), problem: "\(what) is a list, but must be \(expected)")
        case .scalar, .alias:
            throw .unexpectedStructure(line: line(node), problem: "\(what) must be \(expected)")
        }
    }

    /// A variables mapping, with YAML merge keys (`<<: *defaults`) applied beneath the explicit values.
    static func vars(_ node: Node, what: String) throws(InventoryError) -> [String: AnsibleInventoryDraft.Value] {
        try vars(mapping(node, what: what, expected: "a mapping of names to values"), what: what)
    }

    /// The same, for pairs already taken out of their mapping.
    static func vars(
        _ pairs: [(Node, Node)], what: String
    ) throws(InventoryError) -> [String: AnsibleInventoryDraft.Value] {
        var merged: [String: AnsibleInventoryDraft.Value] = [:]
        var explicit: [String: AnsibleInventoryDraft.Value] = [:]
        for (keyNode, value) in pairs {
            let key = try name(of: keyNode)
            if key == "<<" {
                let sources = value.sequence.map(Array.init) ?? [value]
                for source in sources { merged.merge(try vars(source, what: what)) { old, _ in old } }
            } else {
                explicit[key] = self.value(value)
            }
        }
        return merged.merging(explicit) { _, new in new }
    }

    static func value(_ node: Node) -> AnsibleInventoryDraft.Value {
        if case .sequence(let sequence) = node {
            let items = sequence.compactMap { item -> String? in
                if case .scalar(let scalar) = item { scalar.string } else { nil }
            }
            return items.count == sequence.count ? .list(items) : .structured
        }
        guard case .scalar(let scalar) = node else { return .structured }
        if scalar.tag.rawValue == "!vault" || scalar.string.hasPrefix("$ANSIBLE_VAULT;") { return .vault }
        if node.null != nil { return .null }
        return .text(scalar.string)
    }

    static func name(of key: Node) throws(InventoryError) -> String {
        guard case .scalar(let scalar) = key, !scalar.string.isEmpty else {
            throw .unexpectedStructure(line: line(key), problem: "expected a name here")
        }
        return scalar.string
    }

    static func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

    /// Keeps libyaml's problem and line, never its snippet of the text, which may hold a password.
    static func convert(_ error: YamlError, text: String) -> InventoryError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = [context?.text, problem].compactMap { $0 }.joined(separator: ": ")
            return .malformedYAML(line: mark.line, problem: detail)
        case .reader(let problem, let offset, _, _):
            let line = offset.map { text.prefix($0).filter(\.isNewline).count + 1 } ?? 1
            return .malformedYAML(line: line, problem: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .malformedYAML(line: context.mark.line, problem: "duplicate key \(keys) in one mapping")
        default:
            return .malformedYAML(line: 1, problem: "the text could not be read as YAML")
        }
    }
}
