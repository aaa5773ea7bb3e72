/// Ansible host ranges: `web[01:20].example.com`, `db-[a:f]`, `node[0:10:2]`.
///
/// A range is `[start:end]` or `[start:end:step]`, with both bounds numbers or both single letters of
/// the same case; both ends are included. A zero-padded start (`01`) keeps its width, and then, as in
/// Ansible, the end must be written with the same width. Several ranges in one name multiply out, the
/// leftmost varying slowest.
public enum HostPattern {
    /// Most names one pattern may expand to, so a typo such as `[0:999999]` cannot flood the database.
    public static let maxHosts = 10_000

    /// The names `pattern` stands for, in order; a name without brackets expands to itself.
    public static func expand(_ pattern: String) throws(InventoryError) -> [String] {
        let parts = try parse(pattern)
        var total = 1
        for case .range(let values) in parts {
            total *= values.count
            guard total <= maxHosts else {
                throw .invalidHostPattern(pattern: pattern, reason: "expands to more than \(maxHosts) hosts")
            }
        }
        var names = [""]
        for part in parts {
            switch part {
            case .literal(let text): names = names.map { $0 + text }
            case .range(let values): names = names.flatMap { prefix in values.map { prefix + $0 } }
            }
        }
        return names
    }

    private enum Part {
        case literal(String)
        case range([String])
    }

    private static func parse(_ pattern: String) throws(InventoryError) -> [Part] {
        func fail(_ reason: String) -> InventoryError { .invalidHostPattern(pattern: pattern, reason: reason) }
        var parts: [Part] = []
        var literal = ""
        var body: String?
        for character in pattern {
            switch (character, body) {
            case ("[", nil):
                parts.append(.literal(literal))
                literal = ""
                body = ""
            case ("[", .some): throw fail("ranges cannot be nested")
            case ("]", nil): throw fail("']' without a matching '['")
            case ("]", .some(let text)):
                parts.append(.range(try values(text, fail: fail)))
                body = nil
            case (_, nil): literal.append(character)
            case (_, .some(let text)): body = text + String(character)
            }
        }
        guard body == nil else { throw fail("'[' is never closed") }
        parts.append(.literal(literal))
        return parts
    }

    private static func values(
        _ body: String, fail: (String) -> InventoryError
    ) throws(InventoryError) -> [String] {
        let fields = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 2 || fields.count == 3 else {
            throw fail("a range is written [start:end] or [start:end:step], not [\(body)]")
        }
        let start = fields[0].isEmpty ? "0" : fields[0]
        let end = fields[1]
        guard !end.isEmpty else { throw fail("range [\(body)] has no end") }
        var step = 1
        if fields.count == 3 {
            guard let parsed = Int(fields[2]), parsed > 0 else {
                throw fail("the step of [\(body)] must be a positive whole number")
            }
            step = parsed
        }
        if isDigits(start) && isDigits(end) {
            return try numbers(start: start, end: end, step: step, body: body, fail: fail)
        }
        if let low = letter(start), let high = letter(end) {
            guard low.properties.isLowercase == high.properties.isLowercase else {
                throw fail("the letters of [\(body)] must both be lower case or both upper case")
            }
            guard low.value <= high.value else { throw fail("range [\(body)] starts after it ends") }
            return stride(from: low.value, through: high.value, by: step).compactMap { Unicode.Scalar($0) }
                .map { String(Character($0)) }
        }
        if (isDigits(start) && letter(end) != nil) || (letter(start) != nil && isDigits(end)) {
            throw fail("range [\(body)] mixes a letter and a number")
        }
        throw fail("the bounds of [\(body)] must be numbers or single letters")
    }

    private static func numbers(
        start: String, end: String, step: Int, body: String, fail: (String) -> InventoryError
    ) throws(InventoryError) -> [String] {
        guard let low = Int(start), let high = Int(end) else { throw fail("the bounds of [\(body)] are too large") }
        guard low <= high else { throw fail("range [\(body)] starts after it ends") }
        let width = start.count > 1 && start.hasPrefix("0") ? start.count : 0
        guard width == 0 || end.count == width else {
            throw fail("zero-padded range [\(body)] must write both bounds with the same number of digits")
        }
        guard (high - low) / step < maxHosts else { throw fail("range [\(body)] has more than \(maxHosts) values") }
        return stride(from: low, through: high, by: step).map { value in
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
    }

    private static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    private static func letter(_ text: String) -> Unicode.Scalar? {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 1, let scalar = scalars.first,
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
        else { return nil }
        return scalar
    }
}
