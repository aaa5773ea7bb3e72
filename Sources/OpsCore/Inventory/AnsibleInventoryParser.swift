import Foundation

/// Reads Ansible inventories (YAML or INI) into hosts ready to import as targets.
///
/// Ansible semantics kept: `all` is the root and may hold `hosts`, `vars` and `children`; groups nest to
/// any depth; a host may sit in several groups and is merged; hosts outside any group are `ungrouped`;
/// `web[01:20]` ranges expand (``HostPattern``); `host:port` sets the port. Variables are layered
/// `all` < parent group < child group < host (groups at the same depth by name, the later name winning),
/// then mapped as ``AnsibleHostVariables`` describes.
///
/// A problem with one host (bad name, port or connection) becomes an ``InventoryRejection`` and the rest
/// of the file is still read. A problem with the file itself (not YAML, wrong shape, a `children` loop)
/// throws an ``InventoryError`` with the line number.
public enum AnsibleInventoryParser {
    /// Reads an inventory, choosing YAML or INI with ``detectFormat(_:fileName:)``.
    public static func parse(_ text: String, fileName: String?) throws(InventoryError) -> ParsedInventory {
        switch detectFormat(text, fileName: fileName) {
        case .yaml: try parseYAML(text)
        case .ini: try parseINI(text)
        }
    }

    /// The format of an inventory: from the extension (`.yml`, `.yaml` → YAML; `.ini`, `.cfg` → INI), or,
    /// for a file without one (such as `hosts`) or with another, from the first line that is not blank or
    /// a comment: a `[section]` or `key=value` line means INI, a `key:` mapping line or `---` means YAML.
    public static func detectFormat(_ text: String, fileName: String?) -> AnsibleInventoryFormat {
        if let fileName, let dot = fileName.lastIndex(of: "."),
            !fileName[dot...].contains("/"), dot != fileName.startIndex
        {
            switch fileName[fileName.index(after: dot)...].lowercased() {
            case "yml", "yaml", "json": return .yaml
            case "ini", "cfg": return .ini
            default: break
            }
        }
        return sniff(text)
    }

    private static func sniff(_ text: String) -> AnsibleInventoryFormat {
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix(";") else { continue }
            if line.hasPrefix("---") || line.hasPrefix("{") || line.hasPrefix("%") { return .yaml }
            let content = (line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? line)
                .trimmingCharacters(in: .whitespaces)
            if content.hasPrefix("[") || content.contains("=") { return .ini }
            return content.hasSuffix(":") || content.contains(": ") ? .yaml : .ini
        }
        return .ini
    }
}

/// The two text formats of Ansible inventories.
public enum AnsibleInventoryFormat: String, Sendable, CaseIterable {
    /// The YAML inventory plugin's format (JSON is read as YAML too).
    case yaml
    /// The INI inventory plugin's format, as in `/etc/ansible/hosts`.
    case ini
}
