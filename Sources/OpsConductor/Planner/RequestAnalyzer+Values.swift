import OpsCore

/// Values a message names: `name=value`, a parameter's name followed by a value ("wait 60", "token abc=="),
/// a value followed by a parameter's word ("a 120 second wait"), and percentages.
extension RequestAnalyzer {
    /// `name=value`: a parameter, a tag, or a list of hosts.
    mutating func readAssignments() {
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
            } else if value.first?.isNumber == true, catalog.specsByName["version"] != nil {
                // apt's `nginx=1.24.0-1`: a package and its version.
                result.free.append(.init(kind: .word, value: String(token.raw.prefix { $0 != "=" }), cue: nil))
                result.named["version"] = value
                note(token.raw, "parameter", "version=" + value)
            } else {
                result.free.append(.init(kind: .quoted, value: token.raw, cue: nil))
            }
        }
    }

    /// A parameter's name (or a word of it) followed by a value: `wait 60`, `threshold 80`, `token abc==`.
    mutating func readCues() {
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
    mutating func readNumberBeforeCue() {
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
    func acceptedValue(_ token: RequestToken, for parameter: String) -> String? {
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
                // A whole number, even out of range, or a word after an integer's name: the validator says why not.
                if spec.type == .int { return candidate }
                guard case .success = ParameterValidator.check(candidate, against: spec) else { continue }
                let plainWord = candidate.allSatisfy(\.isLetter)
                if spec.type == .string, !spec.secret, plainWord { continue }
                return candidate
            }
            return nil
        }
    }

    /// "80%", "80 percent", "above 80".
    mutating func readPercent() {
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
                    ["above", "over", "exceeds", "beyond", "past", "than", "at"].contains(previous)
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
}
