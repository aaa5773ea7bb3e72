/// A parameter's pattern as an HTML `pattern` attribute.
///
/// Browsers compile `pattern` as `^(?:PATTERN)$` with JavaScript's `v` flag, which is stricter than the Swift
/// `Regex` the server checks values with: in a character class the characters `( ) [ ] { } / - \ |` must be
/// escaped when meant literally (`[A-Za-z0-9@._:-]` is an error there), and so must the second of a doubled
/// punctuator (`..`, `::`); outside a class an escape of a plain character (`\-`, `\_`) and a lone `{` `}` `]` are
/// errors. This rewrites a pattern into the same language under `v`, and says why when a construct has no
/// JavaScript equivalent (inline flags, possessive quantifiers, atomic groups, `\A`, `\z`, POSIX classes, class
/// set operations): the form then leaves the attribute out (the server still checks every value) and the catalog
/// warns at load. Anchors are dropped: the server matches the whole value, as the attribute does.
public enum BrowserPattern {
    public enum Conversion: Equatable, Sendable {
        case attribute(String)
        case unsupported(String)

        public var attribute: String? {
            if case .attribute(let text) = self { return text }
            return nil
        }
    }

    public static func convert(_ pattern: String) -> Conversion {
        var converter = Converter(Array(pattern))
        converter.stripAnchors()
        do {
            try converter.run()
            return .attribute(converter.out)
        } catch let problem as Problem {
            return .unsupported(problem.reason)
        } catch {
            return .unsupported("\(error)")
        }
    }

    struct Problem: Error {
        var reason: String
    }

    /// Characters JavaScript lets a `\` escape outside a class (`u`/`v` mode): the syntax characters and `/`.
    static let syntax: Set<Character> = ["^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "/"]
    /// Letters whose escapes mean the same in Swift and JavaScript.
    static let sharedLetters: Set<Character> = ["d", "D", "w", "W", "s", "S", "b", "B", "n", "r", "t", "f", "v"]
    /// In a `v` class these must be escaped to be literal.
    static let classSyntax: Set<Character> = ["(", ")", "[", "]", "{", "}", "/", "-", "\\", "|"]
    /// Doubled, these are reserved in a `v` class.
    static let doublePunctuators: Set<Character> = [
        "&", "!", "#", "$", "%", "*", "+", ",", ".", ":", ";", "<", "=", ">", "?", "@", "^", "`", "~",
    ]

    struct Converter {
        var text: [Character]
        var position = 0
        var out = ""

        init(_ text: [Character]) { self.text = text }

        var current: Character? { position < text.count ? text[position] : nil }
        func peek(_ offset: Int = 1) -> Character? {
            position + offset < text.count ? text[position + offset] : nil
        }

        mutating func stripAnchors() {
            if text.first == "^" { text.removeFirst() }
            if text.last == "$" {
                var backslashes = 0
                var index = text.count - 2
                while index >= 0, text[index] == "\\" {
                    backslashes += 1
                    index -= 1
                }
                if backslashes % 2 == 0 { text.removeLast() }
            }
        }

        mutating func run() throws {
            var afterQuantifiable = false
            while let character = current {
                switch character {
                case "\\":
                    try escapeOutside()
                    afterQuantifiable = true
                case "[":
                    try characterClass()
                    afterQuantifiable = true
                case "(":
                    try groupOpening()
                    afterQuantifiable = false
                case "{":
                    if let quantifier = quantifierBraces() {
                        guard afterQuantifiable else { throw Problem(reason: "a quantifier with nothing before it") }
                        out += quantifier
                        try afterQuantifier()
                    } else {
                        out += "\\{"
                        position += 1
                        afterQuantifiable = true
                    }
                case "*", "+", "?":
                    out.append(character)
                    position += 1
                    try afterQuantifier()
                case "}", "]":
                    out += "\\" + String(character)
                    position += 1
                    afterQuantifiable = true
                case ")":
                    out += ")"
                    position += 1
                    afterQuantifiable = true
                default:
                    out.append(character)
                    position += 1
                    afterQuantifiable = character != "|" && character != "^" && character != "$"
                }
            }
        }

        /// After `*`, `+`, `?` or `{n,m}`: a lazy `?` is fine; a possessive `+` has no JavaScript form.
        mutating func afterQuantifier() throws {
            if current == "?" {
                out += "?"
                position += 1
            } else if current == "+" {
                throw Problem(reason: "possessive quantifiers (*+, ++, ?+) have no JavaScript form")
            }
        }

        /// `{3}`, `{2,}`, `{2,5}` at the current position, consumed; nil (nothing consumed) otherwise.
        mutating func quantifierBraces() -> String? {
            var index = position + 1
            var digits = 0
            while index < text.count, text[index].isASCII, text[index].isNumber {
                index += 1
                digits += 1
            }
            guard digits > 0, index < text.count else { return nil }
            if text[index] == "," {
                index += 1
                while index < text.count, text[index].isASCII, text[index].isNumber { index += 1 }
            }
            guard index < text.count, text[index] == "}" else { return nil }
            let quantifier = String(text[position...index])
            position = index + 1
            return quantifier
        }

        mutating func groupOpening() throws {
            guard peek() == "?" else {
                out += "("
                position += 1
                return
            }
            let next = peek(2)
            switch next {
            case ":", "=", "!":
                out += "(?" + String(next ?? ":")
                position += 3
            case "<":
                let after = peek(3)
                if after == "=" || after == "!" {
                    out += "(?<" + String(after ?? "=")
                    position += 4
                } else {
                    out += "(?<"
                    position += 3
                }
            case "P" where peek(3) == "<":
                out += "(?<"
                position += 4
            case ">":
                throw Problem(reason: "atomic groups (?>…) have no JavaScript form")
            default:
                throw Problem(reason: "inline options and comments (?…) have no JavaScript form")
            }
        }

        /// A `\` escape outside a class.
        mutating func escapeOutside() throws {
            guard let next = peek() else { throw Problem(reason: "a trailing backslash") }
            if next.isLetter || next.isNumber {
                out += try letterEscape()
            } else if BrowserPattern.syntax.contains(next) {
                out += "\\" + String(next)
                position += 2
            } else {
                // `\-`, `\_`, `\:`… mean the character itself in Swift; JavaScript's v flag refuses the escape.
                out.append(next)
                position += 2
            }
        }

        /// `\d`, `\x41`, `\u{1F600}`, `\p{L}`, `\1`, `\k<name>`: the same in JavaScript, or a problem.
        mutating func letterEscape() throws -> String {
            let letter = peek() ?? " "
            var result = "\\" + String(letter)
            position += 2
            switch letter {
            case _ where BrowserPattern.sharedLetters.contains(letter):
                return result
            case "0"..."9":
                while let digit = current, digit.isASCII, digit.isNumber {
                    result.append(digit)
                    position += 1
                }
                return result
            case "x":
                if current == "{" { return "\\u" + (try braced()) }
                return result + (try hexDigits(2))
            case "u":
                if current == "{" { return result + (try braced()) }
                return result + (try hexDigits(4))
            case "p", "P":
                guard current == "{" else { throw Problem(reason: "\\\(letter) without {…} has no JavaScript form") }
                return result + (try braced())
            case "k":
                guard current == "<" else { throw Problem(reason: "\\k without <name>") }
                while let character = current {
                    result.append(character)
                    position += 1
                    if character == ">" { return result }
                }
                throw Problem(reason: "an unfinished \\k<name>")
            case "c":
                guard let control = current, control.isASCII, control.isLetter else {
                    throw Problem(reason: "\\c without a letter")
                }
                position += 1
                return result + String(control)
            default:
                throw Problem(reason: "\\\(letter) has no JavaScript form")
            }
        }

        mutating func braced() throws -> String {
            var result = ""
            while let character = current {
                result.append(character)
                position += 1
                if character == "}" { return result }
            }
            throw Problem(reason: "an unfinished {…}")
        }

        mutating func hexDigits(_ count: Int) throws -> String {
            var result = ""
            for _ in 0..<count {
                guard let digit = current, digit.isHexDigit else { throw Problem(reason: "a short hexadecimal escape") }
                result.append(digit)
                position += 1
            }
            return result
        }

        /// `[...]`, rewritten for the `v` flag.
        mutating func characterClass() throws {
            out += "["
            position += 1
            if current == "^" {
                out += "^"
                position += 1
            }
            if current == ":" { throw Problem(reason: "POSIX classes [:name:] have no JavaScript form") }
            var previousIsAtom = false
            var first = true
            while true {
                guard let character = current else { throw Problem(reason: "an unfinished character class") }
                defer { first = false }
                switch character {
                case "]" where !first:
                    out += "]"
                    position += 1
                    return
                case "\\":
                    guard let next = peek() else { throw Problem(reason: "a trailing backslash") }
                    if next.isLetter || next.isNumber {
                        out += try letterEscape()
                    } else {
                        // Any escaped punctuation is a literal in Swift; in a v class every one of these may be
                        // escaped except a few, which are fine bare.
                        out += BrowserPattern.classEscapable(next) ? "\\" + String(next) : String(next)
                        position += 2
                    }
                    previousIsAtom = true
                case "[":
                    if peek() == ":" { throw Problem(reason: "POSIX classes [:name:] have no JavaScript form") }
                    try characterClass()
                    previousIsAtom = true
                case "-":
                    if peek() == "-" { throw Problem(reason: "class subtraction (--) has no JavaScript form") }
                    let next = peek()
                    if previousIsAtom, let next, next != "]" {
                        out += "-"
                        previousIsAtom = false
                    } else {
                        out += "\\-"
                        previousIsAtom = true
                    }
                    position += 1
                case "&" where peek() == "&", "~" where peek() == "~":
                    throw Problem(reason: "class set operations (&&, ~~) have no JavaScript form")
                default:
                    if BrowserPattern.classSyntax.contains(character)
                        || (BrowserPattern.doublePunctuators.contains(character) && peek() == character)
                    {
                        out += "\\" + String(character)
                    } else {
                        out.append(character)
                    }
                    position += 1
                    previousIsAtom = true
                }
            }
        }
    }

    /// Whether `\c` is allowed in a `v` class for punctuation `c`.
    static func classEscapable(_ character: Character) -> Bool {
        syntax.contains(character) || "&-!#%,:;<=>@`~".contains(character)
    }
}

extension Catalog {
    /// One line per parameter pattern browsers cannot check (the form leaves it out; the server still checks):
    /// logged when the catalog loads and reloads.
    public var browserPatternWarnings: [String] {
        var warnings = [String]()
        for tool in tools {
            var seen = Set<String>()
            let specs = tool.parameters + tool.actions.flatMap(\.parameters)
            for spec in specs where seen.insert(spec.name).inserted {
                guard let pattern = spec.pattern, case .unsupported(let reason) = BrowserPattern.convert(pattern)
                else { continue }
                warnings.append(
                    "tool \(tool.id): parameter \(spec.name): its pattern cannot be checked by browsers (\(reason)); "
                        + "the run form leaves it out and the server still checks every value")
            }
        }
        return warnings
    }
}
