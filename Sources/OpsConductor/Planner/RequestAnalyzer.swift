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

    private static let connectors: Set<String> = [
        "=", ":", "is", "to", "at", "as", "be", "of", "time", "for", "a", "set",
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
        analyzer.readConcepts()
        analyzer.readFreeValues()
        analyzer.readQuestionSubject()
        analyzer.readShouting()
        analyzer.readMode()
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

    // MARK: - Values

    /// `name=value`: a parameter, a tag, or a list of hosts.
    private mutating func readAssignments() {
        for (index, token) in tokens.enumerated() {
            guard case .assignment(let rawName, let value) = token.kind else { continue }
            let name = rawName.replacingOccurrences(of: "-", with: "_")
            consumed.insert(index)
            if catalog.specsByName[name] != nil {
                result.named[name] = value
                note(token.raw, "parameter", name + "=" + shown(name, value))
            } else if inventory.tagKeys.contains(rawName) {
                result.selection.tags.append([InventoryIndex.Tag(key: rawName, value: value)])
                note(token.raw, "tag", rawName + "=" + value)
            } else if ["host", "hosts", "target", "targets", "server", "servers"].contains(rawName) {
                for host in value.split(separator: ",").map(String.init) {
                    if let found = inventory.target(named: RequestText.fold(host)) {
                        result.selection.hosts.append(inventory.inventory.targets[found].name)
                    } else {
                        result.selection.unknown.append(host)
                    }
                }
            } else if ["group", "groups"].contains(rawName) {
                for group in value.split(separator: ",").map(String.init) {
                    if let found = inventory.groupsByKey[RequestText.fold(group)] {
                        result.selection.groups.append(inventory.groups[found].group.name)
                    } else {
                        result.selection.unknown.append(group)
                    }
                }
            } else {
                result.free.append(.init(kind: .quoted, value: token.raw, cue: nil))
            }
        }
    }

    /// A parameter's name (or a word of it) followed by a value: `wait 60`, `threshold 80`, `token abc==`.
    private mutating func readCues() {
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            guard let first = word(index) else { continue }
            for cue in catalog.cues {
                // The cue's words, or one word typed as two ("back up" for backup).
                var length = cue.words.count
                let typed = cue.words.indices.allSatisfy { offset in
                    guard let key = word(index + offset) else { return false }
                    return Lexicon.stems(key).contains(cue.words[offset])
                }
                if !typed {
                    guard cue.words.count == 1, let second = word(index + 1), first + second == cue.words[0] else {
                        continue
                    }
                    length = 2
                }
                let negated = ["without", "no", "skip", "dont", "don't", "never"].contains(word(index - 1) ?? "")
                var valueIndex = index + length
                while let key = word(valueIndex), Self.connectors.contains(key) { valueIndex += 1 }
                var value =
                    valueIndex < tokens.count && !consumed.contains(valueIndex)
                    ? acceptedValue(tokens[valueIndex], for: cue.parameter) : nil
                // "without refreshing", "with refresh": a flag named without a value.
                let isFlag = (catalog.specsByName[cue.parameter] ?? []).contains { $0.type == .bool }
                if isFlag, value == nil || negated {
                    value = negated ? "false" : word(index - 1) == "with" ? "true" : nil
                    valueIndex = index + length - 1
                }
                guard let value else { continue }
                result.named[cue.parameter] = value
                // "keep 3 backups", "wait 60 seconds": the rest of the name after the value.
                let nameWords = Set(cue.parameter.split(separator: "_").map(String.init))
                if let after = word(valueIndex + 1), Lexicon.stems(after).contains(where: nameWords.contains) {
                    valueIndex += 1
                }
                let words = tokens[index...valueIndex].map(\.raw).joined(separator: " ")
                note(words, "parameter", cue.parameter + "=" + shown(cue.parameter, value))
                // A cue that is also a verb or an action's word still says what to do ("check process w3wp").
                for offset in 0..<length {
                    let key = tokens[index + offset].key
                    if let known = lexiconWord(key), !Lexicon.weakVerbs.contains(key) {
                        result.concepts.append(
                            Lexicon.Concept(
                                words: tokens[index + offset].raw, canonical: known.canonical, weight: known.weight))
                    }
                }
                consumed.formUnion(index...valueIndex)
                index = valueIndex
                break
            }
        }
        readNumberBeforeCue()
    }

    /// "a 120 second wait", "90s timeout": a number, an optional unit, then a word of a parameter's name.
    private mutating func readNumberBeforeCue() {
        for index in tokens.indices {
            guard let key = word(index), Int(key) != nil else { continue }
            var next = index + 1
            if let unit = word(next), ["second", "seconds", "sec", "secs", "s"].contains(unit) { next += 1 }
            guard let name = word(next),
                let cue = catalog.cues.first(where: { $0.words.count == 1 && Lexicon.stems(name).contains($0.words[0]) }
                ),
                (catalog.specsByName[cue.parameter] ?? []).contains(where: { $0.type == .int })
            else { continue }
            result.named[cue.parameter] = key
            note(tokens[index...next].map(\.raw).joined(separator: " "), "parameter", cue.parameter + "=" + key)
            consumed.formUnion(index...next)
        }
    }

    /// The value a cue introduces, when it can be one for that parameter.
    private func acceptedValue(_ token: RequestToken, for parameter: String) -> String? {
        let specs = catalog.specsByName[parameter] ?? []
        switch token.kind {
        case .quoted, .path, .url: return token.raw
        case .assignment: return nil
        case .word:
            let key = token.key
            guard !Lexicon.stopWords.contains(key), Lexicon.synonyms[key] == nil, inventory.target(named: key) == nil
            else { return nil }
            for spec in specs {
                var candidate = token.raw
                if spec.type == .int {
                    for suffix in ["%", "seconds", "secs", "sec", "s"] where candidate.lowercased().hasSuffix(suffix) {
                        candidate = String(candidate.dropLast(suffix.count))
                        break
                    }
                }
                if spec.type == .int, Int(candidate) != nil { return candidate }
                guard case .success = ParameterValidator.check(candidate, against: spec) else { continue }
                let plainWord = candidate.allSatisfy(\.isLetter)
                if spec.type == .string, !spec.secret, plainWord { continue }
                return candidate
            }
            return nil
        }
    }

    /// "80%", "80 percent", "above 80".
    private mutating func readPercent() {
        for index in tokens.indices {
            guard let key = word(index) else { continue }
            var number: String?
            var used = [index]
            if key.hasSuffix("%"), Int(key.dropLast()) != nil {
                number = String(key.dropLast())
            } else if Int(key) != nil {
                if let next = word(index + 1), ["%", "percent", "pct"].contains(next) {
                    number = key
                    used.append(index + 1)
                } else if let previous = word(index - 1),
                    ["above", "over", "exceeds", "beyond", "past", "than"].contains(previous)
                {
                    number = key
                }
            }
            guard let number else { continue }
            result.percent = number
            consumed.formUnion(used)
            note(tokens[index].raw, "parameter", "threshold=" + number, 0.9)
        }
    }

    // MARK: - Words that choose the action

    private mutating func readConcepts() {
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            guard let key = word(index) else { continue }
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
            if Lexicon.stopWords.contains(key) || Lexicon.targetNouns.contains(key) {
                consumed.insert(index)
                continue
            }
            if Lexicon.unsupportedVerbs.contains(key), (catalog.strongest[key] ?? 0) < 0.8 {
                result.unsupported.append(tokens[index].raw)
                consumed.insert(index)
                continue
            }
            if let known = lexiconWord(key) {
                addConcept(tokens[index].raw, known.canonical, weight: known.weight)
                consumed.insert(index)
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
        // "is StationController.exe running": an executable is a process, whatever "running" suggests.
        if tokens.contains(where: { $0.isWord && $0.key.hasSuffix(".exe") }) {
            result.concepts.removeAll { $0.implied && $0.canonical == ["service"] }
        }
        // A bare status question is about a service unless something else was named.
        let named = Set(result.concepts.flatMap(\.canonical))
        if result.concepts.contains(where: { $0.canonical.first == "status" }),
            named.isDisjoint(with: ["package", "process", "disk", "memory", "uptime", "ping", "version", "kernel"])
        {
            result.concepts.append(Lexicon.Concept(words: "", canonical: ["service"], weight: 0.3, implied: true))
        }
    }

    /// The lexicon's reading of a word, trying its stems and its spelling without hyphens.
    private func lexiconWord(_ key: String) -> (canonical: [String], weight: Double)? {
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

    private mutating func readFreeValues() {
        for (index, token) in tokens.enumerated() where !consumed.contains(index) {
            let previous = (index > 0 && tokens[index - 1].isWord) ? tokens[index - 1].key : nil
            let cue = previous.flatMap { Self.valueCues.contains($0) ? $0 : nil }
            switch token.kind {
            case .quoted: result.free.append(.init(kind: .quoted, value: token.raw, cue: cue))
            case .path: result.free.append(.init(kind: .path, value: token.raw, cue: cue))
            case .url: result.free.append(.init(kind: .url, value: token.raw, cue: cue))
            case .assignment: break
            case .word:
                let key = token.key
                guard !Lexicon.stopWords.contains(key), !Lexicon.targetNouns.contains(key),
                    !Lexicon.weakVerbs.contains(key), lexiconWord(key) == nil,
                    key.contains(where: { $0.isLetter || $0.isNumber })
                else { continue }
                // "zsh and git": a second value of the same kind, joined to the previous one.
                let joined =
                    (previous == "and" || tokens[index - (index > 0 ? 1 : 0)].raw.hasSuffix(","))
                    && result.free.last?.kind == .word
                result.free.append(.init(kind: .word, value: token.raw, cue: cue, joined: joined ? true : nil))
            }
        }
    }

    /// "is db01 up": a question whose subject is a target (no value named) asks whether it answers.
    private mutating func readQuestionSubject() {
        guard let index = questionConcept, result.free.isEmpty, result.named.isEmpty, result.mentionsTargets else {
            return
        }
        result.concepts[index].canonical = ["ping"]
        result.concepts.removeAll { $0.implied && $0.canonical == ["service"] }
    }

    /// A message typed in capitals ("RESTART NGINX ON WEB01") has its unquoted words' case as an accident.
    private mutating func readShouting() {
        let letters = request.original.filter(\.isLetter)
        guard letters.count >= 8, letters.allSatisfy(\.isUppercase) else { return }
        for index in result.free.indices where result.free[index].kind == .word {
            result.free[index].value = result.free[index].value.lowercased()
        }
    }

    private mutating func readMode() {
        let keys = Set(tokens.filter(\.isWord).map(\.key))
        let onlyExcluding =
            !result.selection.without.isEmpty && result.selection.hosts.isEmpty && result.selection.groups.isEmpty
        if !keys.isDisjoint(with: ["only", "just", "except", "among", "subset"]) || onlyExcluding {
            result.selectionMode = .narrow
        } else if !keys.isDisjoint(with: ["also", "too", "plus", "additionally", "add", "well"])
            || tokens.first?.key == "and"
        {
            result.selectionMode = .widen
        }
    }

    /// A value as it may be shown: secrets never are.
    func shown(_ parameter: String, _ value: String) -> String {
        (catalog.specsByName[parameter] ?? []).contains(where: \.secret) ? "•••" : value
    }
}
