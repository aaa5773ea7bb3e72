import OpsCore

/// Reads one message against the catalog's and the inventory's vocabulary. Each token is used once:
/// named values first (they are values whatever they look like), then targets, then the words that choose
/// the action; what is left are unnamed values.
struct RequestAnalyzer {
    let request: RequestText
    let catalog: CatalogIndex
    let inventory: InventoryIndex
    var consumed = Set<Int>()
    var result = RequestAnalysis()
    /// The status concept a yes/no question added ("is db01 up"), if any.
    var questionConcept: Int?
    /// The token index of each free value, in `result.free`'s order.
    var freePositions: [Int] = []
    /// Words of clauses that only tell the story ("We had reports from the east site.").
    var context = Set<Int>()

    static let connectors: Set<String> = [
        "=", ":", "is", "to", "at", "as", "be", "of", "time", "for", "a", "set",
    ]
    private static let determiners: Set<String> = [
        "a", "an", "the", "my", "our", "your", "its", "their", "his", "her", "these", "those", "some",
    ]
    private static let zoneWords: Set<String> = ["on", "across", "at", "in", "against", "for"]
    private static let valueCues: Set<String> = [
        "from", "to", "source", "src", "target", "dest", "destination", "into", "over", "backup", "backups", "with",
    ]

    static func analyze(_ request: RequestText, catalog: CatalogIndex, inventory: InventoryIndex) -> RequestAnalysis {
        var analyzer = RequestAnalyzer(request: request, catalog: catalog, inventory: inventory)
        analyzer.readAssignments()
        analyzer.readCues()
        analyzer.readPercent()
        TargetReader.read(into: &analyzer)
        analyzer.readContext()
        analyzer.readConcepts()
        analyzer.readFreeValues()
        analyzer.readQuestionSubject()
        analyzer.readVagueCheck()
        analyzer.readShouting()
        analyzer.readMode()
        analyzer.readLeftover()
        return analyzer.result
    }

    var tokens: [RequestToken] { request.tokens }

    /// The key of the unconsumed word at `index`, if it is one.
    func word(_ index: Int) -> String? {
        guard index >= 0, index < tokens.count, tokens[index].isWord, !consumed.contains(index) else { return nil }
        return tokens[index].key
    }

    mutating func note(_ words: String, _ kind: String, _ value: String, _ score: Double = 1) {
        result.matches.append(ConductorMatch(words: words, kind: kind, value: value, score: score))
    }

    // MARK: - Words that choose the action

    private mutating func readConcepts() {
        let ensuring =
            tokens.contains { $0.key == "ensure" }
            || zip(tokens, tokens.dropFirst()).contains { $0.key == "make" && $1.key == "sure" }
        // "restart nginx on web01 and then check its status": plan the first action; the rest is a later request.
        if let then = tokens.indices.first(where: { word($0) == "then" }),
            tokens[..<then].contains(where: {
                $0.isWord && lexiconWord($0.key) != nil && !Lexicon.weakVerbs.contains($0.key)
            })
        {
            for index in then..<tokens.count where tokens[index].isWord && lexiconWord(tokens[index].key) != nil {
                consumed.insert(index)
                if !Lexicon.stateWords.contains(tokens[index].key) {
                    result.later = (result.later ?? []) + [tokens[index].raw]
                }
            }
            note(tokens[then...].map(\.raw).joined(separator: " "), "later", "not planned", 0)
        }
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            guard let key = word(index), !context.contains(index) else { continue }
            // "make sure curl is installed", "ensure nginx is installed": install it if it is not.
            if key == "installed" || (key == "is" && word(index + 1) == "installed"), ensuring {
                addConcept(tokens[index].raw, ["install"], weight: 1)
                consumed.formUnion(key == "is" ? [index, index + 1] : [index])
                index += key == "is" ? 1 : 0
                continue
            }
            if let (phrase, canonical) = Lexicon.phrases.first(where: { phrase, _ in
                phrase.indices.allSatisfy { word(index + $0) == phrase[$0] }
            }) {
                let words = phrase.joined(separator: " ")
                addConcept(words, canonical + [phrase.joined()], weight: 1)
                consumed.formUnion(index..<(index + phrase.count))
                index += phrase.count - 1
                continue
            }
            // Two-word verbs around their object: "take nginx down", "bring postgresql up".
            if let (phrase, canonical) = Lexicon.phrases.first(where: { phrase, _ in
                phrase.count == 2 && phrase[0] == key && word(index + 2) == phrase[1] && word(index + 1) != nil
                    && lexiconWord(word(index + 1) ?? "") == nil
            }) {
                addConcept(phrase.joined(separator: " "), canonical + [phrase.joined()], weight: 1)
                consumed.formUnion([index, index + 2])
                continue
            }
            // A reference or a tool id typed as it is ("linux-service.restart", "linux-qc-post").
            if let operation = catalog.operationsByReference[key].map({ catalog.operations[$0] }) {
                for term in operation.idTerms + operation.toolTerms {
                    result.concepts.append(Lexicon.Concept(words: tokens[index].raw, canonical: [term], weight: 1))
                }
                note(tokens[index].raw, "action", operation.reference)
                consumed.insert(index)
                continue
            }
            if catalog.toolIDs.contains(key) {
                for term in CatalogIndex.terms(key) where Lexicon.platforms[term] == nil {
                    result.concepts.append(Lexicon.Concept(words: tokens[index].raw, canonical: [term], weight: 1))
                }
                note(tokens[index].raw, "tool", key)
                consumed.insert(index)
                continue
            }
            // "set" that introduced no parameter ("set its suid bit") changes something: left for the audit.
            if key == "set",
                !tokens[(index + 1)..<min(tokens.count, index + 3)].contains(where: { parameterWords.contains($0.key) })
            {
                continue
            }
            if Lexicon.stopWords.contains(key) || Lexicon.targetNouns.contains(key) || Lexicon.isTicketReference(key) {
                consumed.insert(index)
                continue
            }
            // "logged", "compiling": an inflected verb no catalog action does is still that verb.
            let inflected = key.hasSuffix("ed") || key.hasSuffix("ing")
            let unsupported =
                Lexicon.unsupportedVerbs.contains(key)
                || (inflected && Lexicon.stems(key).dropFirst().contains(where: Lexicon.unsupportedVerbs.contains))
            if unsupported, (catalog.strongest[key] ?? 0) < 0.8 {
                result.unsupported.append(tokens[index].raw)
                consumed.insert(index)
                continue
            }
            if let known = lexiconWord(key) {
                addConcept(tokens[index].raw, known.canonical, weight: known.weight)
                if !Lexicon.alsoValues.contains(key) { consumed.insert(index) }
                continue
            }
            let strength = catalog.strongest[key] ?? 0
            if strength >= 0.8 {
                addConcept(tokens[index].raw, [key], weight: 1)
                consumed.insert(index)
            } else if !key.contains(where: \.isNumber),
                let corrected = FuzzyMatch.closest(to: key, in: catalog.correctable)
            {
                let known = lexiconWord(corrected.word) ?? (canonical: [corrected.word], weight: 1)
                addConcept(tokens[index].raw, known.canonical, weight: known.weight * 0.9)
                note(tokens[index].raw, "typo", corrected.word, 0.8)
                consumed.insert(index)
            } else if strength >= 0.5 {
                // Known only from descriptions: a hint, and still a candidate value ("stationcontroller").
                addConcept(tokens[index].raw, [key], weight: 0.3)
            } else if key.hasSuffix(".exe") {
                result.concepts.append(
                    Lexicon.Concept(words: tokens[index].raw, canonical: ["process", "binary"], weight: 0.8))
            }

        }
        demoteActionsAfterCheck()
        // "is postgresql up on db01?": a yes/no question about something is a status check.
        if ["is", "are", "was", "were", "isn't", "aren't"].contains(tokens.first?.key ?? "") {
            let alone = !result.concepts.contains(where: { !$0.implied && $0.weight >= 0.4 })
            // "is the X process up": "up" and "down" are states, not particles, in a question.
            let state = tokens.contains { $0.isWord && ($0.key == "up" || $0.key == "down") }
            if alone || state {
                result.concepts.append(
                    Lexicon.Concept(words: tokens.first?.raw ?? "", canonical: ["status"], weight: alone ? 1 : 0.6))
                questionConcept = result.concepts.count - 1
            }
        }
        // "did app01 reboot…", "has nginx started…": a question asks to verify, not to act.
        if ["did", "does", "has", "have", "had"].contains(tokens.first?.key ?? ""),
            result.concepts.contains(where: { !$0.implied && $0.weight >= 0.4 })
        {
            result.concepts.append(
                Lexicon.Concept(words: tokens.first?.raw ?? "", canonical: ["verify", "status"], weight: 0.6))
        }
        // "is StationController.exe running", "is the defender process running": a named process (or an
        // executable) is what runs, whatever "running" suggests.
        let namesOtherThing = result.concepts.contains {
            !$0.implied && ["process", "package"].contains($0.canonical.first ?? "")
        }
        if namesOtherThing || tokens.contains(where: { $0.isWord && ($0.key.hasSuffix(".exe") || $0.key == "exe") }) {
            result.concepts.removeAll { $0.implied && $0.canonical == ["service"] }
        }
        // A bare status question is about a service unless something else was named.
        let named = Set(result.concepts.flatMap(\.canonical))
        if result.concepts.contains(where: { $0.canonical.first == "status" }),
            named.isDisjoint(with: [
                "package", "process", "disk", "memory", "uptime", "ping", "version", "kernel", "sft", "qc",
            ])
        {
            result.concepts.append(Lexicon.Concept(words: "", canonical: ["service"], weight: 0.3, implied: true))
        }
    }

    /// The lexicon's reading of a word, trying its stems and its spelling without hyphens.
    func lexiconWord(_ key: String) -> (canonical: [String], weight: Double)? {
        for form in Lexicon.stems(key) + Lexicon.stems(key.replacingOccurrences(of: "-", with: "")) {
            if let canonical = Lexicon.synonyms[form] {
                let weight =
                    Lexicon.weakVerbs.contains(form)
                    ? Lexicon.Strength.weak.rawValue
                    : Lexicon.stateWords.contains(form) ? 0.6 : 1
                return (canonical + [form], weight)
            }
        }
        return nil
    }

    private mutating func addConcept(_ words: String, _ canonical: [String], weight: Double) {
        result.concepts.append(Lexicon.Concept(words: words, canonical: canonical, weight: weight))
        note(words, "verb", canonical.first ?? words, weight)
        let key = RequestText.fold(words)
        for implied in Lexicon.implies[key] ?? Lexicon.implies[Lexicon.stems(key).last ?? key] ?? [] {
            result.concepts.append(Lexicon.Concept(words: words, canonical: [implied], weight: 0.5, implied: true))
        }
    }

    // MARK: - Unnamed values and follow-up words

    /// The token index of the first word that decides the action, if any.
    private var firstVerb: Int? {
        tokens.indices.first { index in
            tokens[index].isWord && consumed.contains(index)
                && (lexiconWord(tokens[index].key).map { $0.weight > Lexicon.Strength.weak.rawValue } ?? false)
        }
    }

    var parameterWords: Set<String> {
        Set(catalog.specsByName.keys.flatMap { $0.split(separator: "_").map(String.init) })
    }

    private mutating func readFreeValues() {
        defer {
            // Values right after a noun ("service MSSQLSERVER") first, then after the verb ("would you mind
            // restarting nginx": nginx, not mind), then the rest.
            let verb = firstVerb ?? tokens.count
            let positions = freePositions
            func rank(_ index: Int) -> Int {
                let position = positions[index]
                if position > 0, position <= tokens.count, tokens.indices.contains(position - 1),
                    ["service", "unit", "package", "process", "daemon", "named", "called"].contains(
                        tokens[position - 1].key)
                {
                    return 0
                }
                if context.contains(position) { return 3 }
                return position > verb ? 1 : 2
            }
            let order = result.free.indices.sorted { a, b in
                rank(a) != rank(b) ? rank(a) < rank(b) : positions[a] < positions[b]
            }
            result.free = order.map { result.free[$0] }
        }
        freePositions = Array(repeating: tokens.count, count: result.free.count)
        for (index, token) in tokens.enumerated() where !consumed.contains(index) {
            let count = result.free.count
            defer { if result.free.count > count { freePositions.append(index) } }
            let previous = (index > 0 && tokens[index - 1].isWord) ? tokens[index - 1].key : nil
            let cue = previous.flatMap { Self.valueCues.contains($0) ? $0 : nil }
            switch token.kind {
            case .quoted: result.free.append(.init(kind: .quoted, value: token.raw, cue: cue))
            case .path: result.free.append(.init(kind: .path, value: token.raw, cue: cue))
            case .url: result.free.append(.init(kind: .url, value: token.raw, cue: cue))
            case .assignment: break
            case .word:
                let key = token.key
                // A word of a parameter's name ("wait", "threshold") is never a value.
                guard !parameterWords.contains(key), !Lexicon.stopWords.contains(key),
                    !Lexicon.targetNouns.contains(key),
                    !Lexicon.weakVerbs.contains(key), lexiconWord(key) == nil || Lexicon.alsoValues.contains(key),
                    key.contains(where: { $0.isLetter || $0.isNumber })
                else { continue }
                // "and vacuum the db", "and notify the team": a word before an article is a verb, not a value.
                if index + 1 < tokens.count, Self.determiners.contains(tokens[index + 1].key),
                    ["and", "then", "also", "plus"].contains(previous ?? "")
                        || (index > 0 && tokens[index - 1].endsClause)
                {
                    continue
                }
                // "zsh and git": a second value of the same kind, joined to the previous one.
                let joined =
                    (previous == "and" || tokens[index - (index > 0 ? 1 : 0)].raw.hasSuffix(","))
                    && result.free.last?.kind == .word
                result.free.append(.init(kind: .word, value: token.raw, cue: cue, joined: joined ? true : nil))
            }
        }
    }

    /// The word tokens no reading consumed (values, unknown words), for the plan's audit.
    private mutating func readLeftover() {
        // A word naming what the next noun is ("the IIS service W3SVC", "the Windows Update service") describes it.
        let nouns: Set<String> = ["service", "services", "process", "daemon", "unit", "package", "binary"]
        let words = tokens.indices.filter { index in
            tokens[index].isWord && !consumed.contains(index) && !context.contains(index)
                && tokens[index].key.contains(where: { $0.isLetter || $0.isNumber })
                && !tokens[(index + 1)..<min(tokens.count, index + 3)].contains { nouns.contains($0.key) }
        }
        result.leftover = words.isEmpty ? nil : words.map { tokens[$0].raw }
        let describing = tokens.indices.dropLast().filter { tokens[$0].isWord && nouns.contains(tokens[$0 + 1].key) }
        result.describing = describing.isEmpty ? nil : describing.map { tokens[$0].raw }
    }

    /// A value as it may be shown: secrets never are.
    func shown(_ parameter: String, _ value: String) -> String {
        (catalog.specsByName[parameter] ?? []).contains(where: \.secret) ? "•••" : value
    }
}
