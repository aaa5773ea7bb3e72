import OpsCore

/// The inventory prepared for planning: names, groups and tag values by the words that name them.
/// Built once per inventory snapshot (see `PlannerIndexCache`).
struct InventoryIndex: Sendable {
    struct GroupEntry: Sendable {
        var group: ConductorGroup
        /// Words of the name that tell it apart (`cis-servers` → cis).
        var distinctive: [String]
        /// Words of the description, for "the station controller hosts".
        var descriptionWords: Set<String>
    }

    var inventory: ConductorInventory
    var targetsByKey: [String: Int]
    /// First label of dotted names (`web01` for `web01.example.com`) when it is unique.
    var targetsByShortName: [String: Int]
    var groups: [GroupEntry]
    var groupsByKey: [String: Int]
    /// Tag values (folded) → the tags that have them.
    var tagsByValue: [String: [Tag]]
    var tagKeys: Set<String>
    /// The distinctive words of all group names.
    var groupWords: Set<String>
    /// Groups by the distinctive words of their names.
    var groupsByWord: [String: [Int]] = [:]
    /// Target indexes in name order.
    var byName: [Int] = []

    struct Tag: Sendable, Hashable, Codable {
        var key: String
        var value: String
    }

    init(_ inventory: ConductorInventory) {
        self.inventory = inventory
        var targetsByKey = [String: Int]()
        var shortNames = [String: Int]()
        var ambiguousShort = Set<String>()
        var tagsByValue = [String: Set<Tag>]()
        var tagKeys = Set<String>()
        for (index, target) in inventory.targets.enumerated() {
            targetsByName[target.name] = index
            let key = RequestText.fold(target.name)
            targetsByKey[key] = index
            if let dot = key.firstIndex(of: "."), dot != key.startIndex {
                let short = String(key[..<dot])
                if shortNames[short] != nil { ambiguousShort.insert(short) }
                shortNames[short] = index
            }
            for (tagKey, value) in target.tags {
                tagKeys.insert(tagKey.lowercased())
                tagsByValue[RequestText.fold(value), default: []].insert(Tag(key: tagKey, value: value))
            }
        }
        for short in ambiguousShort { shortNames[short] = nil }
        self.targetsByKey = targetsByKey
        self.targetsByShortName = shortNames.filter { targetsByKey[$0.key] == nil }
        self.tagsByValue = tagsByValue.mapValues { $0.sorted { ($0.key, $0.value) < ($1.key, $1.value) } }
        self.tagKeys = tagKeys
        var groupsByKey = [String: Int]()
        self.groups = inventory.groups.enumerated().map { index, group in
            groupsByKey[RequestText.fold(group.name)] = index
            let words = CatalogIndex.terms(group.name).map { Lexicon.stems($0).last ?? $0 }
            var distinctive = words.filter { !Lexicon.targetNouns.contains($0) && !Lexicon.stopWords.contains($0) }
            if distinctive.isEmpty { distinctive = words }
            let description = CatalogIndex.terms(group.description ?? "").filter {
                $0.count >= 3 && !Lexicon.stopWords.contains($0) && !Lexicon.targetNouns.contains($0)
            }
            return GroupEntry(group: group, distinctive: distinctive, descriptionWords: Set(description))
        }
        self.groupsByKey = groupsByKey
        self.groupWords = Set(groups.flatMap(\.distinctive))
        for (index, entry) in groups.enumerated() {
            for word in Set(entry.distinctive) { groupsByWord[word, default: []].append(index) }
        }
        byName = inventory.targets.indices.sorted { inventory.targets[$0].name < inventory.targets[$1].name }
    }

    /// Targets by their exact name.
    var targetsByName: [String: Int] = [:]

    /// The target a word names, if any.
    func target(named word: String) -> Int? {
        if let found = targetsByKey[word] ?? targetsByShortName[word] { return found }
        return word.contains(".") ? target(fullyQualified: word) : nil
    }

    /// `web01.corp.example.com`, `web02.prod.internal`: a target's name followed by a DNS domain.
    private func target(fullyQualified word: String) -> Int? {
        let labels = word.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 3 || (labels.count == 2 && Self.domainSuffixes.contains(String(labels[1]))),
            labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } }),
            labels.dropFirst().contains(where: { $0.contains(where: \.isLetter) })
        else { return nil }
        let host = String(labels[0])
        return targetsByKey[host] ?? targetsByShortName[host]
    }

    private static let domainSuffixes: Set<String> = ["local", "lan", "internal", "corp", "com", "net", "org", "intra"]

    /// The target with exactly this name, else the one this name folds to.
    func target(exactly name: String) -> Int? { targetsByName[name] ?? target(named: RequestText.fold(name)) }

    /// Names of the targets a selection picks, sorted.
    func resolve(_ selection: TargetSelection) -> [String] {
        var chosen = Set<Int>()
        var hasBase = false
        for host in selection.hosts {
            if let index = target(exactly: host) { chosen.insert(index) }
            hasBase = true
        }
        for name in selection.groups {
            hasBase = true
            guard let groupIndex = groupsByKey[RequestText.fold(name)] else { continue }
            for member in groups[groupIndex].group.members {
                if let index = target(exactly: member) { chosen.insert(index) }
            }
        }
        // Only "except …" (a follow-up's "not the staging ones") means everything else.
        if !hasBase, !selection.all, selection.tags.isEmpty, selection.platforms.isEmpty, selection.without.isEmpty {
            return []
        }
        let candidates = hasBase ? chosen.sorted { inventory.targets[$0].name < inventory.targets[$1].name } : byName
        let platforms = Set(selection.platforms)
        let within = selection.within.map { Set(resolve($0)) }
        let without = Set(selection.without.flatMap { resolve($0) })
        var names = [String]()
        for index in candidates {
            let target = inventory.targets[index]
            if !platforms.isEmpty, !platforms.contains(target.os) { continue }
            guard selection.tags.allSatisfy({ anyOf in anyOf.contains { target.tags[$0.key] == $0.value } }) else {
                continue
            }
            if within.allSatisfy({ $0.contains(target.name) }), !without.contains(target.name) {
                names.append(target.name)
            }
        }
        return names
    }

    /// Whether a word narrows a target selection: a tag value, a word of a group's name, a platform.
    func isTargetModifier(_ word: String) -> Bool {
        tagsByValue[word] != nil || groupWords.contains(word) || Lexicon.platforms[word] != nil
            || Lexicon.tagValueSynonyms[word] != nil
    }

    /// Whether a word names a target or a group (for the safety screen).
    func namesTargetOrGroup(_ word: String) -> Bool {
        target(named: word) != nil || groupsByKey[word] != nil
    }
}

/// Which targets a request names, kept as words of the inventory (groups, tags, hosts) rather than a list
/// of names, so that a confirmation re-resolves it against the inventory of the moment.
struct TargetSelection: Sendable, Codable, Equatable {
    var hosts: [String] = []
    var groups: [String] = []
    /// All must hold; each is satisfied by any of its tags (`prod and staging` → one term of two tags).
    var tags: [[InventoryIndex.Tag]] = []
    var platforms: [OSFamily] = []
    var all = false
    /// Words that looked like targets but name nothing in the inventory.
    var unknown: [String] = []

    var isEmpty: Bool {
        hosts.isEmpty && groups.isEmpty && tags.isEmpty && platforms.isEmpty && !all && without.isEmpty
    }

    /// Further selections the targets must also be in ("only the staging ones" after "the web servers").
    var within: [TargetSelection] = []
    /// Selections the targets must not be in ("except staging").
    var without: [TargetSelection] = []

    /// This selection narrowed by `other` ("only the staging ones", "just web01").
    func narrowed(by other: TargetSelection) -> TargetSelection {
        var result = other
        result.within = [self]
        return result
    }

    /// This selection and `other` ("and web02 too").
    func widened(by other: TargetSelection) -> TargetSelection {
        var result = self
        result.hosts += other.hosts.filter { !hosts.contains($0) }
        result.groups += other.groups.filter { !groups.contains($0) }
        result.unknown = other.unknown
        return result
    }
}
