import Foundation

/// One piece of a request: a word, or a value taken whole (quoted text, a path, a URL, `name=value`).
struct RequestToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A plain word, matched against the lexicon, the catalog and the inventory.
        case word
        /// Text between quotes, taken whole and only ever used as a parameter value.
        case quoted
        /// A Windows drive or UNC path, possibly with spaces.
        case path
        /// `scheme://…`.
        case url
        /// `name=value`; the value is everything after the first `=`.
        case assignment(name: String, value: String)
    }

    var kind: Kind
    /// As typed (the content for quoted text).
    var raw: String
    /// Lower-cased and without diacritics: what matching compares. Empty for values.
    var key: String
    /// Typed between quotes (a quoted path is complete as it is).
    var fromQuotes = false
    /// Followed by a comma or a sentence's end: the last word of a clause.
    var endsClause = false

    var isWord: Bool { kind == .word }
}

/// A request cut into tokens. Values (quotes, paths, URLs, `name=value`) are never split or changed:
/// a value with `=`, quotes, spaces in a Windows path or non-ASCII text reaches validation exactly as typed.
struct RequestText: Sendable {
    var original: String
    var tokens: [RequestToken]

    /// Words that end a Windows path typed with spaces (`C:\Program Files\App\app.exe to …`).
    private static let pathStoppers: Set<String> = [
        "to", "on", "from", "and", "with", "into", "for", "at", "in", "as", "target", "source", "then", "onto",
        "over", "backup", "backups", "using", "via",
    ]
    private static let openingQuotes: [Character: Character] = [
        "\"": "\"", "“": "”", "„": "“", "‘": "’", "`": "`", "'": "'", "«": "»",
    ]

    init(_ text: String) {
        original = text
        tokens = []
        for chunk in Self.chunks(of: text) {
            if chunk.quoted {
                let kind: RequestToken.Kind =
                    Self.isPathStart(chunk.text) ? .path : chunk.text.contains("://") ? .url : .quoted
                tokens.append(RequestToken(kind: kind, raw: chunk.text, key: "", fromQuotes: true))
            } else {
                tokens += Self.classify(chunk.text)
            }
        }
        tokens = Self.mergePaths(tokens)
    }

    /// The words, with their token index.
    var words: [(index: Int, key: String)] {
        tokens.indices.compactMap { tokens[$0].isWord ? ($0, tokens[$0].key) : nil }
    }

    /// Lower-cases and folds diacritics, for matching only.
    static func fold(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        return text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
    }

    // MARK: - Splitting

    private struct Chunk {
        var text: String
        var quoted: Bool
    }

    /// Splits on whitespace, keeping quoted text (with its spaces) as one chunk.
    private static func chunks(of text: String) -> [Chunk] {
        let characters = Array(text)
        var result = [Chunk]()
        var current = ""
        var index = 0
        func flush() {
            if !current.isEmpty { result.append(Chunk(text: current, quoted: false)) }
            current = ""
        }
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                flush()
                index += 1
                continue
            }
            if current.isEmpty, let closing = openingQuotes[character],
                let end = closingQuote(closing, in: characters, after: index)
            {
                result.append(Chunk(text: String(characters[(index + 1)..<end]), quoted: true))
                index = end + 1
                continue
            }
            current.append(character)
            index += 1
        }
        flush()
        return result
    }

    /// Where the quote opened at `start` closes; an apostrophe closes only before a space, punctuation or the end.
    private static func closingQuote(_ closing: Character, in characters: [Character], after start: Int) -> Int? {
        var index = start + 1
        while index < characters.count {
            if characters[index] == closing {
                let next = index + 1 < characters.count ? characters[index + 1] : " "
                if closing != "'" || next.isWhitespace || next.isPunctuation { return index > start + 1 ? index : nil }
            }
            index += 1
        }
        return nil
    }

    private static func isPathStart(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        if text.hasPrefix("\\\\") { return scalars.count > 2 }
        guard scalars.count >= 3, scalars[1] == ":", scalars[2] == "\\" else { return false }
        return CharacterSet.letters.contains(scalars[0]) && scalars[0].isASCII
    }

    /// One whitespace-free chunk: a value kind, or one or more words (`web01,web02` is two).
    private static func classify(_ chunk: String) -> [RequestToken] {
        if isPathStart(chunk) { return [RequestToken(kind: .path, raw: chunk, key: "")] }
        if chunk.contains("://") {
            return [RequestToken(kind: .url, raw: trimmedValue(chunk), key: "")]
        }
        if let equals = chunk.firstIndex(of: "="), equals != chunk.startIndex {
            let name = String(chunk[..<equals])
            let value = String(chunk[chunk.index(after: equals)...])
            if !value.isEmpty, !value.hasPrefix("="),
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) })
            {
                return [RequestToken(kind: .assignment(name: name.lowercased(), value: value), raw: chunk, key: "")]
            }
        }
        let trimSet = CharacterSet(charactersIn: ".,!?;:()[]{}\"'“”‘’`«»")
        // "web01...and web02", "web01…web02": an ellipsis separates like a comma.
        let chunk = chunk.replacingOccurrences(of: "...", with: ",").replacingOccurrences(of: "…", with: ",")
        let parts = chunk.split(separator: ",", omittingEmptySubsequences: false)
        return parts.indices.compactMap { position in
            var word = String(parts[position]).trimmingCharacters(in: trimSet)
            if word.hasSuffix("'s") { word.removeLast(2) }
            guard !word.isEmpty else { return nil }
            var token = RequestToken(kind: .word, raw: word, key: fold(word))
            token.endsClause =
                position < parts.count - 1 || chunk.last.map { ",.!?;:".contains($0) } == true
            return token
        }
    }

    private static func trimmedValue(_ value: String) -> String {
        var text = value
        while let last = text.last, ".,!?;)".contains(last) { text.removeLast() }
        return text
    }

    /// Joins a path's pieces that whitespace split (`C:\Program` + `Files\App\app.exe`).
    private static func mergePaths(_ tokens: [RequestToken]) -> [RequestToken] {
        var result = [RequestToken]()
        var index = 0
        while index < tokens.count {
            var token = tokens[index]
            index += 1
            guard token.kind == .path, !token.fromQuotes else {
                result.append(token)
                continue
            }
            while index < tokens.count {
                // The next piece holding a backslash, at most two plain words away, continues the path.
                var probe = index
                while probe < tokens.count, probe - index < 3, tokens[probe].isWord,
                    !tokens[probe].raw.contains("\\"), !pathStoppers.contains(tokens[probe].key)
                {
                    probe += 1
                }
                if probe < tokens.count, probe - index < 3, tokens[probe].isWord, tokens[probe].raw.contains("\\"),
                    !isPathStart(tokens[probe].raw)
                {
                    token.raw += " " + tokens[index...probe].map(\.raw).joined(separator: " ")
                    index = probe + 1
                    continue
                }
                // `…\Station Controller.exe`: a last piece with an extension when the path's last segment has none.
                let last = token.raw.split(separator: "\\").last.map(String.init) ?? ""
                if index < tokens.count, tokens[index].isWord, !last.contains("."),
                    !pathStoppers.contains(tokens[index].key),
                    tokens[index].raw.range(of: #"\.[A-Za-z0-9]{1,4}$"#, options: .regularExpression) != nil
                {
                    token.raw += " " + tokens[index].raw
                    index += 1
                }
                break
            }
            token.raw = trimmedValue(token.raw)
            result.append(token)
        }
        return result
    }
}
