import OpsCore

/// Readings of a whole message once its words are known: questions ("is db01 up"), vague checks ("check nginx"),
/// checking verbs whose action words are objects, capitals, and how a follow-up's targets combine.
extension RequestAnalyzer {
    /// "check the StationController update", "verify the restart": after a checking verb, an action word is what
    /// is checked, not something to do — unless "and"/"then" makes it a second verb ("check and restart").
    mutating func demoteActionsAfterCheck() {
        let checking: Set<String> = ["check", "verify", "validate", "show", "inspect", "examine", "confirm", "query"]
        let actions: Set<String> = ["restart", "start", "stop", "update", "install", "repair", "fix", "replace"]
        guard let first = result.concepts.firstIndex(where: { !$0.implied && $0.weight >= 0.4 }),
            checking.contains(RequestText.fold(result.concepts[first].words))
        else { return }
        let joined = tokens.contains { $0.isWord && ($0.key == "and" || $0.key == "then") }
        guard !joined else { return }
        for index in result.concepts.indices where index > first && !result.concepts[index].implied {
            if actions.contains(result.concepts[index].canonical.first ?? "") { result.concepts[index].weight = 0.3 }
        }
    }

    /// "check nginx on web04": a vague verb with a value is a status question about it.
    mutating func readVagueCheck() {
        let decisive = result.concepts.filter { !$0.implied && $0.weight >= 0.4 }
        guard !decisive.isEmpty, decisive.allSatisfy({ $0.weight <= Lexicon.Strength.weak.rawValue }),
            result.free.contains(where: { $0.kind == .word || $0.kind == .quoted })
        else { return }
        result.concepts.append(Lexicon.Concept(words: decisive[0].words, canonical: ["status"], weight: 0.6))
        result.concepts.append(Lexicon.Concept(words: "", canonical: ["service"], weight: 0.3, implied: true))
    }

    /// "is db01 up": a question whose subject is a target (no value named) asks whether it answers.
    mutating func readQuestionSubject() {
        guard let index = questionConcept, result.free.isEmpty, result.named.isEmpty, result.mentionsTargets else {
            return
        }
        result.concepts[index].canonical = ["ping"]
        result.concepts.removeAll { $0.implied && $0.canonical == ["service"] }
    }

    /// A message typed in capitals ("RESTART NGINX ON WEB01") has its unquoted words' case as an accident.
    mutating func readShouting() {
        let letters = request.original.filter(\.isLetter)
        guard letters.count >= 8, letters.allSatisfy(\.isUppercase) else { return }
        for index in result.free.indices where result.free[index].kind == .word {
            result.free[index].value = result.free[index].value.lowercased()
        }
    }

    mutating func readMode() {
        let keys = Set(tokens.filter(\.isWord).map(\.key))
        result.correction = !keys.isDisjoint(with: ["instead", "actually", "use", "rather", "change", "switch", "make"])
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
}
