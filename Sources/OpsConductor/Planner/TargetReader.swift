import OpsCore

/// Finds the targets a message names: host names, group names (or the words that tell a group apart,
/// "CIS servers" → `cis-servers`), tags ("prod", "site east"), platforms ("windows"), "all", and as a last
/// resort group descriptions. Words that look like targets but name nothing are kept as unknown.
enum TargetReader {
    private static let zoneWords: Set<String> = ["on", "across", "at", "in", "against", "for"]

    private static let negations: Set<String> = ["except", "excluding", "exclude", "excl"]

    /// Reads the targets; those after "except" (or "but not") are read on their own and left out.
    static func read(into analyzer: inout RequestAnalyzer) {
        let tokens = analyzer.tokens
        let negation = tokens.indices.first { index in
            guard let key = analyzer.word(index) else { return false }
            return negations.contains(key) || (key == "but" && analyzer.word(index + 1) == "not")
                || (key == "not" && index == 0)
        }
        guard let negation else {
            readAll(into: &analyzer)
            return
        }
        let skip = tokens[negation].key == "but" ? negation + 1 : negation
        let before = Set(0...skip)
        let saved = (consumed: analyzer.consumed, selection: analyzer.result.selection)
        analyzer.consumed.formUnion(before)
        readAll(into: &analyzer)
        let excluded = analyzer.result.selection
        let usedAfter = analyzer.consumed.subtracting(before)
        analyzer.result.selection = saved.selection
        analyzer.consumed = saved.consumed.union(usedAfter).union(negation...skip)
        readAll(into: &analyzer)
        analyzer.result.selection.unknown += excluded.unknown
        var without = excluded
        without.unknown = []
        if !without.isEmpty { analyzer.result.selection.without = [without] }
    }

    private static func readAll(into analyzer: inout RequestAnalyzer) {
        let tokens = analyzer.tokens
        let inventory = analyzer.inventory
        let zoneStart = tokens.firstIndex { $0.isWord && zoneWords.contains($0.key) } ?? tokens.count
        // Hosts and exact group names.
        for index in tokens.indices {
            guard let key = analyzer.word(index) else { continue }
            // "web01/web02": a list when every part names a target.
            let parts = key.split(separator: "/").map(String.init)
            if parts.count > 1, parts.allSatisfy({ inventory.target(named: $0) != nil }) {
                for part in parts {
                    guard let target = inventory.target(named: part) else { continue }
                    let name = inventory.inventory.targets[target].name
                    if !analyzer.result.selection.hosts.contains(name) { analyzer.result.selection.hosts.append(name) }
                }
                analyzer.consumed.insert(index)
                analyzer.note(tokens[index].raw, "target", parts.joined(separator: ","))
                continue
            }
            if let target = inventory.target(named: key) {
                let name = inventory.inventory.targets[target].name
                if !analyzer.result.selection.hosts.contains(name) { analyzer.result.selection.hosts.append(name) }
                analyzer.consumed.insert(index)
                analyzer.note(tokens[index].raw, "target", name)
            } else if let group = inventory.groupsByKey[key] {
                add(group: group, words: [index], into: &analyzer)
            }
        }
        readRanges(into: &analyzer)
        // "all", platforms.
        for index in tokens.indices {
            guard let key = analyzer.word(index) else { continue }
            if let platform = Lexicon.platforms[key], let family = OSFamily(rawValue: platform) {
                if !analyzer.result.selection.platforms.contains(family) {
                    analyzer.result.selection.platforms.append(family)
                }
                analyzer.consumed.insert(index)
                analyzer.note(tokens[index].raw, "platform", platform)
            } else if Lexicon.everything.contains(key) {
                let ahead = (1...3).compactMap { analyzer.word(index + $0) }
                if key == "everything" || key == "everywhere"
                    || ahead.contains(where: {
                        Lexicon.targetNouns.contains($0) || Lexicon.platforms[$0] != nil
                            || inventory.tagsByValue[$0] != nil
                    })
                {
                    analyzer.result.selection.all = true
                    analyzer.consumed.insert(index)
                    analyzer.note(tokens[index].raw, "target", "all")
                }
            }
        }
        let groupsBefore = analyzer.result.selection.groups
        readGroupWords(into: &analyzer, zoneStart: zoneStart)
        let byWord = analyzer.result.selection.groups.filter { !groupsBefore.contains($0) }
        readTags(into: &analyzer)
        preferTagsOverEmptyGroups(byWord, into: &analyzer)
        if analyzer.result.selection.hosts.isEmpty, analyzer.result.selection.groups.isEmpty {
            readDescriptions(into: &analyzer, zoneStart: zoneStart)
        }
        readUnknown(into: &analyzer, zoneStart: zoneStart)
    }

    /// "cis-app01 through cis-app04", "web01 to web03": the targets between two names that differ in their number.
    private static func readRanges(into analyzer: inout RequestAnalyzer) {
        let tokens = analyzer.tokens
        for index in tokens.indices
        where tokens[index].isWord && ["through", "thru", "to", "till", "until"].contains(tokens[index].key) {
            guard index > 0, index + 1 < tokens.count,
                let (prefix, low) = split(tokens[index - 1].key), let (other, high) = split(tokens[index + 1].key),
                prefix == other, low < high,
                analyzer.inventory.target(named: tokens[index - 1].key) != nil,
                analyzer.inventory.target(named: tokens[index + 1].key) != nil
            else { continue }
            for target in analyzer.inventory.inventory.targets {
                guard let (name, number) = split(RequestText.fold(target.name)), name == prefix,
                    (low...high).contains(number)
                else { continue }
                if !analyzer.result.selection.hosts.contains(target.name) {
                    analyzer.result.selection.hosts.append(target.name)
                }
            }
            analyzer.consumed.insert(index)
            analyzer.note(tokens[(index - 1)...(index + 1)].map(\.raw).joined(separator: " "), "target", "range")
        }
    }

    /// A name's text before its trailing number, and the number.
    private static func split(_ name: String) -> (String, Int)? {
        let digits = name.reversed().prefix { $0.isNumber }
        guard !digits.isEmpty, let number = Int(String(digits.reversed())) else { return nil }
        return (String(name.dropLast(digits.count)), number)
    }

    private static func add(group: Int, words: [Int], into analyzer: inout RequestAnalyzer, score: Double = 1) {
        let name = analyzer.inventory.groups[group].group.name
        if !analyzer.result.selection.groups.contains(name) { analyzer.result.selection.groups.append(name) }
        analyzer.consumed.formUnion(words)
        analyzer.note(words.map { analyzer.tokens[$0].raw }.joined(separator: " "), "group", name, score)
    }

    /// Groups whose distinctive words all appear ("cis servers", "patch wave 1").
    private static func readGroupWords(into analyzer: inout RequestAnalyzer, zoneStart: Int) {
        // Only groups sharing a word with the request (stems included) can match.
        let stems = analyzer.tokens.map { $0.isWord ? Lexicon.stems($0.key) : [] }
        var candidates = Set<Int>()
        for forms in stems { for form in forms { candidates.formUnion(analyzer.inventory.groupsByWord[form] ?? []) } }
        let order = candidates.sorted {
            let (a, b) = (
                analyzer.inventory.groups[$0].distinctive.count, analyzer.inventory.groups[$1].distinctive.count
            )
            return a != b ? a > b : $0 < $1
        }
        for group in order {
            let distinctive = analyzer.inventory.groups[group].distinctive
            var found = [Int]()
            for term in distinctive {
                let hit = analyzer.tokens.indices.last { index in
                    guard analyzer.word(index) != nil, !found.contains(index) else { return false }
                    return stems[index].contains(term)
                }
                guard let hit else { break }
                found.append(hit)
            }
            guard found.count == distinctive.count, let first = found.min(), let last = found.max() else { continue }
            if found.count == 1 {
                let next = analyzer.tokens.indices.contains(last + 1) ? analyzer.tokens[last + 1].key : ""
                guard first > zoneStart || Lexicon.targetNouns.contains(next) else { continue }
                if Lexicon.synonyms[analyzer.tokens[first].key] != nil, !Lexicon.targetNouns.contains(next) { continue }
            } else {
                guard last - first <= distinctive.count + 1 else { continue }
            }
            var words = found
            if analyzer.tokens.indices.contains(last + 1), Lexicon.targetNouns.contains(analyzer.tokens[last + 1].key) {
                words.append(last + 1)
            }
            add(group: group, words: words, into: &analyzer)
        }
    }

    /// "the staging cis server": when a group named by one word ("cis" → cis-servers, all prod) leaves nothing
    /// with the other words, the word is the tag value it also is (role=cis).
    private static func preferTagsOverEmptyGroups(_ groups: [String], into analyzer: inout RequestAnalyzer) {
        let inventory = analyzer.inventory
        guard !groups.isEmpty, inventory.resolve(analyzer.result.selection).isEmpty else { return }
        var selection = analyzer.result.selection
        for group in groups {
            guard let index = inventory.groupsByKey[RequestText.fold(group)],
                inventory.groups[index].distinctive.count == 1,
                let tags = inventory.tagsByValue[inventory.groups[index].distinctive[0]]
            else { continue }
            selection.groups.removeAll { $0 == group }
            selection.tags.append(tags)
        }
        if !inventory.resolve(selection).isEmpty { analyzer.result.selection = selection }
    }

    /// Two words people use for a role value ("load balancer" → lb).
    private static let rolePhrases: [String: [String]] = [
        "load balancer": ["lb", "loadbalancer"], "domain controller": ["dc", "domain-controller"],
        "print server": ["print"], "database server": ["db", "database"], "web server": ["web"],
        "file server": ["file", "fs"], "jump host": ["bastion", "jump"], "jump box": ["bastion", "jump"],
    ]

    /// Tag values, alone or with their key ("prod", "production", "site east", "east site").
    private static func readTags(into analyzer: inout RequestAnalyzer) {
        let inventory = analyzer.inventory
        var terms = [[InventoryIndex.Tag]]()
        for index in analyzer.tokens.indices {
            guard let first = analyzer.word(index), let second = analyzer.word(index + 1) else { continue }
            let phrase = first + " " + (Lexicon.stems(second).last ?? second)
            guard let values = rolePhrases[phrase] ?? rolePhrases[first + " " + second],
                let tags = values.lazy.compactMap({ inventory.tagsByValue[$0] }).first
            else { continue }
            // A group described by the same words ("Database servers: …") is what was meant.
            let described = inventory.groups.contains { entry in
                entry.descriptionWords.contains(first)
                    && (Lexicon.targetNouns.contains(second)
                        || Lexicon.stems(second).contains(where: entry.descriptionWords.contains))
            }
            if described, analyzer.result.selection.groups.isEmpty { continue }
            analyzer.consumed.formUnion([index, index + 1])
            analyzer.note(first + " " + second, "tag", tags.map { "\($0.key)=\($0.value)" }.joined(separator: "|"))
            terms.append(tags)
        }
        for index in analyzer.tokens.indices {
            guard let key = analyzer.word(index) else { continue }
            var used = [index]
            var tags: [InventoryIndex.Tag]
            if inventory.tagKeys.contains(key), let next = analyzer.word(index + 1) {
                tags = values(next, inventory).filter { $0.key == key }
                used.append(index + 1)
            } else {
                guard !Lexicon.stopWords.contains(key), Lexicon.synonyms[key] == nil else { continue }
                tags = values(key, inventory)
                if let next = analyzer.word(index + 1), inventory.tagKeys.contains(next) {
                    tags = tags.filter { $0.key == next }
                    used.append(index + 1)
                } else if let previous = analyzer.word(index - 1), inventory.tagKeys.contains(previous) {
                    tags = tags.filter { $0.key == previous }
                    used.append(index - 1)
                }
            }
            guard !tags.isEmpty else { continue }
            analyzer.consumed.formUnion(used)
            analyzer.note(
                used.sorted().map { analyzer.tokens[$0].raw }.joined(separator: " "), "tag",
                tags.map { "\($0.key)=\($0.value)" }.joined(separator: "|"))
            // Values of one key add up ("prod and staging"); different keys must all hold.
            if tags.count == 1, let same = terms.firstIndex(where: { $0.allSatisfy { $0.key == tags[0].key } }) {
                if !terms[same].contains(tags[0]) { terms[same].append(tags[0]) }
            } else {
                terms.append(tags)
            }
        }
        analyzer.result.selection.tags += terms
    }

    private static func values(_ word: String, _ inventory: InventoryIndex) -> [InventoryIndex.Tag] {
        for form in [word] + (Lexicon.tagValueSynonyms[word] ?? []) {
            if let tags = inventory.tagsByValue[form] { return tags }
        }
        return []
    }

    /// "the station controller hosts" → the group whose description has those words.
    private static func readDescriptions(into analyzer: inout RequestAnalyzer, zoneStart: Int) {
        let candidates = analyzer.tokens.indices.filter { index in
            guard let key = analyzer.word(index), key.count >= 3, !Lexicon.stopWords.contains(key),
                Lexicon.synonyms[key] == nil, (analyzer.catalog.strongest[key] ?? 0) < 0.8
            else { return false }
            let next = analyzer.tokens.indices.contains(index + 1) ? analyzer.tokens[index + 1].key : ""
            return index > zoneStart || Lexicon.targetNouns.contains(next)
        }
        guard !candidates.isEmpty else { return }
        var best: (group: Int, hits: [Int])?
        var tied = false
        for (group, entry) in analyzer.inventory.groups.enumerated() {
            let hits = candidates.filter { index in
                Lexicon.stems(analyzer.tokens[index].key).contains(where: entry.descriptionWords.contains)
            }
            guard !hits.isEmpty else { continue }
            if best == nil || hits.count > best?.hits.count ?? 0 {
                best = (group, hits)
                tied = false
            } else if hits.count == best?.hits.count {
                tied = true
            }
        }
        guard let best, !tied else { return }
        add(group: best.group, words: best.hits, into: &analyzer, score: 0.7)
    }

    /// Host-like words after "on" (web99) and words before "servers" (mail servers) that name nothing.
    private static func readUnknown(into analyzer: inout RequestAnalyzer, zoneStart: Int) {
        for index in analyzer.tokens.indices {
            guard let key = analyzer.word(index), !Lexicon.stopWords.contains(key) else { continue }
            let next = analyzer.tokens.indices.contains(index + 1) ? analyzer.tokens[index + 1].key : ""
            let hostLike =
                key.contains(where: \.isLetter) && key.contains(where: \.isNumber)
                && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }
            let beforeNoun =
                Lexicon.targetNouns.contains(next) && !Lexicon.targetNouns.contains(key)
                && Lexicon.synonyms[key] == nil && (analyzer.catalog.strongest[key] ?? 0) < 0.8
                && Lexicon.platforms[key] == nil && !Lexicon.everything.contains(key)
            // Without "on", a host-like word is a target when nothing else is in the message ("and web09").
            let bare =
                zoneStart == analyzer.tokens.count
                && analyzer.tokens.indices.allSatisfy { other in
                    other == index || !analyzer.tokens[other].isWord || analyzer.consumed.contains(other)
                        || Lexicon.stopWords.contains(analyzer.tokens[other].key)
                }
            if ((index > zoneStart || bare) && hostLike) || (index > zoneStart && beforeNoun) {
                analyzer.result.selection.unknown.append(analyzer.tokens[index].raw)
                analyzer.consumed.insert(index)
                analyzer.note(analyzer.tokens[index].raw, "target", "unknown", 0)
            }
        }
    }
}
