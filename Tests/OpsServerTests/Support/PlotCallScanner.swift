/// Reads Swift source and reports Plot calls that would write data into markup unescaped: an attribute modifier
/// (`.href`, `.value`, `.data(named:value:)`, `.attribute(named:value:)`, head components such as `.title`) whose
/// argument is anything but a literal, and any `.raw` that is not a literal. The project's escaping
/// `.attribute(_:_:)` (first argument an `AttributeName` such as `.href`) is the way data reaches an attribute.
///
/// A lexer, not a parser: it skips comments and string literals (interpolations included), finds `.name(`
/// calls written with a leading dot or on `Node`/`Attribute`, and judges each argument by its tokens. An
/// argument passes when it is a string literal without interpolation, a number, `true`/`false`/`nil`, an enum
/// case (`.post`), a nested node or attribute (`.text(…)`, itself checked where it stands), a `SitePath`
/// constant, or a `?:` choice between such arguments.
struct PlotCallScanner {
    struct Finding: Equatable, CustomStringConvertible {
        var line: Int
        var call: String
        var argument: String
        var description: String { "line \(line): .\(call)(… \(argument) …)" }
    }

    /// Plot modifiers and components that put a `String` into an attribute (or, for `raw` and `comment`,
    /// straight into the page). Modifiers taking `Bool`, `Int` or an enum are safe by type and not listed.
    static let checkedCalls: Set<String> = [
        "id", "class", "data", "title", "name", "property", "type", "value", "sizes", "color", "href", "datetime",
        "src", "srcset", "media", "action", "for", "placeholder", "label", "style", "content", "allow", "alt",
        "ariaLabel", "ariaControls", "integrity", "onclick", "attribute", "raw", "comment", "stylesheet", "url",
        "siteName", "description", "socialImageLink", "twitterUsername", "favicon", "rssFeedLink", "element",
        "selfClosedElement", "viewport", "audioPlayer", "videoPlayer", "iframe", "twitterCardType",
    ]

    enum Token: Equatable {
        case identifier(String)
        case string(interpolated: Bool)
        case number
        case punctuation(Character)
    }

    private(set) var tokens: [(token: Token, line: Int)] = []

    init(source: String) {
        var lexer = Lexer(Array(source.unicodeScalars))
        tokens = lexer.run()
    }

    /// Every unescaped way into markup in the source.
    func findings() -> [Finding] {
        var result: [Finding] = []
        for index in tokens.indices.dropLast(2) {
            guard tokens[index].token == .punctuation("."), case .identifier(let name) = tokens[index + 1].token,
                tokens[index + 2].token == .punctuation("("), Self.checkedCalls.contains(name),
                isPlotCall(dotAt: index)
            else { continue }
            let all = arguments(openingAt: index + 2)
            for argument in checkedArguments(of: name, all) where !isSafe(argument) {
                result.append(
                    Finding(line: tokens[index].line, call: name, argument: describe(argument)))
            }
        }
        return result
    }

    /// Leading-dot calls (`.href(`), and calls on `Node`, `Attribute` or a `Node<…>` type.
    private func isPlotCall(dotAt index: Int) -> Bool {
        guard index > 0 else { return true }
        switch tokens[index - 1].token {
        case .identifier(let previous): return ["Node", "Attribute", "return", "in", "case", "else"].contains(previous)
        case .punctuation(let character): return !")]}?!".contains(character)
        case .string, .number: return false
        }
    }

    /// The arguments that must be literal, labels removed: all of them, except for the project's
    /// `.attribute(.name, value)` (none: it escapes) and `.element(named:…)` (only the name: its nodes are
    /// checked where they stand).
    private func checkedArguments(of name: String, _ arguments: [[Token]]) -> [[Token]] {
        let isLabelled = { (argument: [Token], label: String) in
            argument.starts(with: [.identifier(label), .punctuation(":")])
        }
        var checked = arguments
        if name == "element" || name == "selfClosedElement" {
            checked = arguments.filter { isLabelled($0, "named") }
        }
        checked = checked.map { argument in
            if argument.count > 2, case .identifier = argument[0], argument[1] == .punctuation(":") {
                return Array(argument.dropFirst(2))
            }
            return argument
        }
        if name == "attribute", arguments.count == 2, !isLabelled(arguments[0], "named"),
            checked[0].first == .punctuation(".")
        {
            return []
        }
        return checked
    }

    /// The top-level arguments of the call whose `(` is at `open`.
    private func arguments(openingAt open: Int) -> [[Token]] {
        var result: [[Token]] = []
        var current: [Token] = []
        var depth = 0
        for (token, _) in tokens[(open + 1)...] {
            if case .punctuation(let character) = token {
                if "([{".contains(character) { depth += 1 }
                if ")]}".contains(character) {
                    if depth == 0 { break }
                    depth -= 1
                }
                if character == ",", depth == 0 {
                    result.append(current)
                    current = []
                    continue
                }
            }
            current.append(token)
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    private func isSafe(_ argument: [Token]) -> Bool {
        if let choice = splitChoice(argument) { return isSafe(choice.0) && isSafe(choice.1) }
        switch argument {
        case [.string(interpolated: false)], [.number], [.identifier("true")], [.identifier("false")],
            [.identifier("nil")]:
            return true
        default:
            break
        }
        if argument.count == 3, argument[0] == .identifier("SitePath"), argument[1] == .punctuation("."),
            case .identifier = argument[2]
        {
            return true
        }
        guard argument.count >= 2, argument[0] == .punctuation("."), case .identifier(let member) = argument[1],
            member != "init"
        else { return false }
        // `.post` (an enum case), or `.text(…)` / `.unwrap(x) { … }` (a node, checked where it stands).
        if argument.count == 2 { return true }
        guard argument[2] == .punctuation("("), let close = Self.matching(argument, from: 2) else { return false }
        if close == argument.count - 1 { return true }
        return argument[close + 1] == .punctuation("{")
            && Self.matching(argument, from: close + 1) == argument.count - 1
    }

    /// The index of the bracket closing the one at `open`.
    private static func matching(_ tokens: [Token], from open: Int) -> Int? {
        var depth = 0
        for offset in open..<tokens.count {
            guard case .punctuation(let character) = tokens[offset] else { continue }
            if "([{".contains(character) { depth += 1 }
            if ")]}".contains(character) {
                depth -= 1
                if depth == 0 { return offset }
            }
        }
        return nil
    }

    /// `condition ? a : b` at the top level, as (a, b).
    private func splitChoice(_ argument: [Token]) -> ([Token], [Token])? {
        var depth = 0
        var question: Int?
        for (offset, token) in argument.enumerated() {
            guard case .punctuation(let character) = token else { continue }
            if "([{".contains(character) { depth += 1 }
            if ")]}".contains(character) { depth -= 1 }
            guard depth == 0 else { continue }
            if character == "?", question == nil { question = offset }
            if character == ":", let question {
                return (Array(argument[(question + 1)..<offset]), Array(argument[(offset + 1)...]))
            }
        }
        return nil
    }

    private func describe(_ argument: [Token]) -> String {
        argument.map { token -> String in
            switch token {
            case .identifier(let name): name
            case .string(let interpolated): interpolated ? "\"…\\(…)…\"" : "\"…\""
            case .number: "0"
            case .punctuation(let character): String(character)
            }
        }.joined()
    }
}

/// Swift's lexical structure, as far as the scanner needs it: identifiers, numbers, punctuation, and string
/// literals (single-line, multi-line and raw) read as one token each.
private struct Lexer {
    let scalars: [Unicode.Scalar]
    var index = 0
    var line = 1

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    mutating func run() -> [(token: PlotCallScanner.Token, line: Int)] {
        var tokens: [(token: PlotCallScanner.Token, line: Int)] = []
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" {
                line += 1
                index += 1
            } else if scalar.properties.isWhitespace {
                index += 1
            } else if starts(with: "//") {
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
            } else if starts(with: "/*") {
                skipBlockComment()
            } else if scalar == "\"" || (scalar == "#" && rawStringFollows()) {
                let start = line
                tokens.append((.string(interpolated: readString()), start))
            } else if scalar == "_" || scalar.properties.isAlphabetic || scalar == "`" {
                tokens.append((.identifier(readIdentifier()), line))
            } else if scalar.properties.numericType != nil {
                while index < scalars.count,
                    scalars[index].properties.isAlphabetic
                        || scalars[index].properties.numericType != nil || scalars[index] == "_"
                        || scalars[index] == "."
                {
                    index += 1
                }
                tokens.append((.number, line))
            } else {
                tokens.append((.punctuation(Character(scalar)), line))
                index += 1
            }
        }
        return tokens
    }

    private func starts(with text: String) -> Bool {
        let pattern = Array(text.unicodeScalars)
        return index + pattern.count <= scalars.count && Array(scalars[index..<(index + pattern.count)]) == pattern
    }

    private func rawStringFollows() -> Bool {
        var look = index
        while look < scalars.count, scalars[look] == "#" { look += 1 }
        return look < scalars.count && scalars[look] == "\""
    }

    private mutating func readIdentifier() -> String {
        var name = ""
        if scalars[index] == "`" { index += 1 }
        while index < scalars.count,
            scalars[index] == "_" || scalars[index].properties.isAlphabetic
                || scalars[index].properties.numericType != nil
        {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        if index < scalars.count, scalars[index] == "`" { index += 1 }
        return name
    }

    private mutating func skipBlockComment() {
        var depth = 0
        while index < scalars.count {
            if starts(with: "/*") {
                depth += 1
                index += 2
            } else if starts(with: "*/") {
                depth -= 1
                index += 2
                if depth == 0 { return }
            } else {
                if scalars[index] == "\n" { line += 1 }
                index += 1
            }
        }
    }

    /// Reads `"…"`, `"""…"""` or `#"…"#` from its first character; returns whether it interpolates. An
    /// interpolation's code is skipped with its parentheses (and any strings inside it) balanced.
    private mutating func readString() -> Bool {
        var hashes = 0
        while scalars[index] == "#" {
            hashes += 1
            index += 1
        }
        let multiline = starts(with: "\"\"\"")
        index += multiline ? 3 : 1
        let close = (multiline ? "\"\"\"" : "\"") + String(repeating: "#", count: hashes)
        let interpolation = "\\" + String(repeating: "#", count: hashes) + "("
        var interpolated = false
        while index < scalars.count {
            if starts(with: close) {
                index += close.unicodeScalars.count
                return interpolated
            }
            if starts(with: interpolation) {
                interpolated = true
                index += interpolation.unicodeScalars.count
                skipInterpolation()
            } else if hashes == 0, scalars[index] == "\\" {
                index += 2
            } else {
                if scalars[index] == "\n" { line += 1 }
                index += 1
            }
        }
        return interpolated
    }

    private mutating func skipInterpolation() {
        var depth = 1
        while index < scalars.count, depth > 0 {
            let scalar = scalars[index]
            if scalar == "\"" || (scalar == "#" && rawStringFollows()) {
                _ = readString()
                continue
            }
            if scalar == "(" { depth += 1 }
            if scalar == ")" { depth -= 1 }
            if scalar == "\n" { line += 1 }
            index += 1
        }
    }
}
