/// The INI dialect of `~/.aws/config` and `~/.aws/credentials`, as AWS SDKs read it
/// (https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html):
/// - `#` and `;` start a comment at the start of a line, and after whitespace on a section or property line;
/// - `[ name ]` opens a section (spaces around the name ignored); a section seen twice is merged, later keys win;
/// - `key = value`, both trimmed, keys case-insensitive; a key seen twice keeps the last value;
/// - indented lines after `key =` are sub-properties (`s3 =\n  max_concurrent_requests = 10`), kept out of the
///   profile's own keys;
/// - a property before any section, or a line that is neither, is an error naming file and line.
public enum SharedConfigParser {
    /// One file's sections, by the name between the brackets (`profile dev` in the config file).
    public static func parse(_ text: String, file: String) throws(AWSError) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        var inSubProperties = false
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated()
        {
            let line = String(rawLine)
            let stripped = line.trimmingWhitespace()
            if stripped.isEmpty || stripped.hasPrefix("#") || stripped.hasPrefix(";") { continue }
            func fail(_ reason: String) -> AWSError {
                .credentials(source: "\(file) line \(index + 1)", reason: reason)
            }
            let indented = line.first?.isWhitespace ?? false
            if indented, current != nil, inSubProperties {
                continue
            }
            if stripped.hasPrefix("[") {
                let header = withoutComment(stripped)
                guard header.hasSuffix("]"), header.count > 2 else { throw fail("section header not closed by ']'") }
                let name = String(header.dropFirst().dropLast()).trimmingWhitespace()
                guard !name.isEmpty else { throw fail("empty section name") }
                current = name
                inSubProperties = false
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let section = current else { throw fail("property outside any [section]") }
            guard let equals = stripped.firstIndex(of: "=") else { throw fail("expected 'key = value'") }
            let key = String(stripped[..<equals]).trimmingWhitespace().lowercased()
            guard !key.isEmpty else { throw fail("property without a name") }
            let value = withoutComment(String(stripped[stripped.index(after: equals)...]))
            inSubProperties = value.isEmpty
            sections[section, default: [:]][key] = value
        }
        return sections
    }

    /// Drops a comment that starts with `#` or `;` after whitespace, then trims.
    private static func withoutComment(_ text: String) -> String {
        var previousIsSpace = true
        var end = text.endIndex
        for index in text.indices {
            let character = text[index]
            if (character == "#" || character == ";") && previousIsSpace {
                end = index
                break
            }
            previousIsSpace = character.isWhitespace
        }
        return String(text[..<end]).trimmingWhitespace()
    }
}
