import Foundation

extension AnsibleInventoryParser {
    /// Reads an INI inventory: `[group]` sections of host lines (`name key=value key2="quoted value"`),
    /// `[group:vars]` sections of `key=value` lines and `[group:children]` sections of group names.
    /// Lines starting with `#` or `;` are comments; host lines before any section are `ungrouped`.
    public static func parseINI(_ text: String) throws(InventoryError) -> ParsedInventory {
        var draft = AnsibleInventoryDraft()
        var section = INISection(group: "ungrouped", kind: .hosts)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix(";") else { continue }
            if line.hasPrefix("["), !isBracketedHost(line) {
                section = try INISection(header: line, line: number)
                try draft.declareGroup(section.group, line: number)
                continue
            }
            switch section.kind {
            case .hosts: try readHostLine(line, group: section.group, line: number, into: &draft)
            case .vars:
                let (key, value) = try readAssignment(line, section: section, line: number)
                try draft.addVars([key: value], toGroup: section.group, line: number)
            case .children:
                let words = line.split(whereSeparator: \.isWhitespace)
                guard let child = words.first, words.count == 1 || words[1].hasPrefix("#") || words[1].hasPrefix(";")
                else {
                    throw .malformedINI(
                        line: number, problem: "lines in [\(section.group):children] must each name one group")
                }
                try draft.addChild(String(child), to: section.group, line: number)
            }
        }
        return try draft.resolve()
    }

    /// `[2001:db8::1]:2222 …`: a host line, not a section, as Ansible's section pattern does not match it.
    private static func isBracketedHost(_ line: String) -> Bool {
        guard let close = line.firstIndex(of: "]") else { return false }
        let rest = line[line.index(after: close)...]
        guard rest.first == ":" else { return false }
        let port = rest.dropFirst().prefix { !$0.isWhitespace }
        return !port.isEmpty && port.allSatisfy { ("0"..."9").contains($0) }
    }

    private static func readHostLine(
        _ text: String, group: String, line: Int, into draft: inout AnsibleInventoryDraft
    ) throws(InventoryError) {
        guard let tokens = INITokenizer.split(text) else {
            let name = text.split(whereSeparator: \.isWhitespace).first.map(String.init)
            return draft.reject(line: line, name: name, reason: "a quote in the host variables is never closed")
        }
        guard let pattern = tokens.first else { return }
        var vars: [String: AnsibleInventoryDraft.Value] = [:]
        for (position, token) in tokens.dropFirst().enumerated() {
            // The token itself is not quoted: it may be a password written with a stray space.
            guard let equals = token.firstIndex(of: "="), equals != token.startIndex else {
                return draft.reject(
                    line: line, name: pattern,
                    reason: "host variable \(position + 1) is not a key=value assignment")
            }
            let value = String(token[token.index(after: equals)...])
            vars[String(token[..<equals])] = value.isEmpty ? .null : .text(value)
        }
        try draft.addHosts(pattern: pattern, to: group, vars: vars, line: line)
    }

    private static func readAssignment(
        _ text: String, section: INISection, line: Int
    ) throws(InventoryError) -> (String, AnsibleInventoryDraft.Value) {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let key = parts[0].trimmingCharacters(in: .whitespaces)
        guard parts.count == 2, !key.isEmpty, !key.contains(where: \.isWhitespace) else {
            throw .malformedINI(line: line, problem: "lines in [\(section.group):vars] must be key=value assignments")
        }
        var value = parts[1].trimmingCharacters(in: .whitespaces)
        if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            value = String(value.dropFirst().dropLast())
        }
        return (key, value.isEmpty ? .null : .text(value))
    }
}

/// Which kind of INI section the following lines belong to.
private struct INISection {
    enum Kind { case hosts, vars, children }

    var group: String
    var kind: Kind

    init(group: String, kind: Kind) {
        self.group = group
        self.kind = kind
    }

    /// Reads `[group]`, `[group:vars]` or `[group:children]`, allowing a trailing `#` or `;` comment.
    init(header: String, line: Int) throws(InventoryError) {
        let usage = "a section header must look like [group], [group:vars] or [group:children]"
        guard let close = header.firstIndex(of: "]") else { throw .malformedINI(line: line, problem: usage) }
        let rest = header[header.index(after: close)...].trimmingCharacters(in: .whitespaces)
        guard rest.isEmpty || rest.hasPrefix("#") || rest.hasPrefix(";") else {
            throw .malformedINI(line: line, problem: usage)
        }
        let inside = header[header.index(after: header.startIndex)..<close].trimmingCharacters(in: .whitespaces)
        let parts = inside.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch (parts.count, parts.last) {
        case (1, _): self.init(group: inside, kind: .hosts)
        case (2, "vars"): self.init(group: parts[0], kind: .vars)
        case (2, "children"): self.init(group: parts[0], kind: .children)
        default: throw .malformedINI(line: line, problem: usage)
        }
    }
}

/// Splits a host line into words the way Ansible's `shlex` does: whitespace separates, single and double
/// quotes group, a backslash escapes outside single quotes, and a `#` starting a word begins a comment.
enum INITokenizer {
    /// The words, or nil when a quote is never closed.
    static func split(_ line: String) -> [String]? {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaping = false
        for character in line {
            if escaping {
                word.append(character)
                escaping = false
                continue
            }
            if let open = quote {
                if character == open {
                    quote = nil
                } else if character == "\\" && open == "\"" {
                    escaping = true
                } else {
                    word.append(character)
                }
                continue
            }
            switch character {
            case _ where character.isWhitespace:
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "#" where !inWord:
                return words
            case "\"", "'":
                quote = character
                inWord = true
            case "\\":
                escaping = true
                inWord = true
            default:
                word.append(character)
                inWord = true
            }
        }
        guard quote == nil, !escaping else { return nil }
        if inWord { words.append(word) }
        return words
    }
}
