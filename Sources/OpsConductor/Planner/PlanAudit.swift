import OpsCore

/// The last check before a plan is shown: every content word of the message must be accounted for by the
/// plan. A word is accounted for when a reading consumed it (a verb, a tool, action or workflow word, a
/// target, group or tag word, a stop or politeness word, a named value), when it is (part of) a parameter value
/// the plan carries, when it names one of the plan's parameters, or when it describes the chosen operation.
///
/// Anything else means the message asks for more than the plan does ("restart nginx on web01 and then rotate
/// the logs"): a verb no catalog action does, or a change verb, is refused; any other leftover word, and any
/// action word the chosen operation does not perform, turns the plan into a question. Safety by construction:
/// a clause the planner does not understand can never ride along with a plan.
enum PlanAudit {
    /// Verbs that change or move things; a leftover one makes the message something no plan covers.
    static let changeVerbs: Set<String> = [
        "rotate", "copy", "move", "mv", "replace", "overwrite", "change", "alter", "set", "reset", "flush",
        "empty", "clean", "cleanup", "clear", "purge", "prune", "compress", "archive", "zip", "unzip", "extract",
        "mount", "unmount", "resize", "shrink", "grow", "extend", "expand", "migrate", "sync", "send", "mail",
        "email", "post", "upload", "download", "fetch", "pull", "push", "open", "close", "block", "allow", "deny",
        "add", "create", "make", "write", "append", "edit", "modify", "rename", "wipe", "delete", "remove", "erase",
        "kill", "terminate", "disable", "uninstall", "configure", "reconfigure", "tweak", "tune", "downgrade", "drop",
        "truncate", "format", "chmod",
        "chown", "grant", "revoke", "lock", "unlock", "reboot", "shutdown", "poweroff", "rollback", "revert",
        "restore", "backup", "schedule", "install", "deploy", "execute", "exec", "invoke",
        "pipe", "redirect", "dump", "export", "import", "transfer", "share", "expose", "forward", "tunnel", "scan",
        "patch", "update", "upgrade", "reinstall", "rebuild", "recreate", "regenerate", "renew", "rekey", "reset",
        "stop", "start", "restart", "bounce", "kick", "halt",
    ]

    /// What the lexicon's action words mean: a second one the plan does not perform is a second request.
    static let actions: Set<String> = [
        "restart", "start", "stop", "update", "install", "replace", "fix", "repair", "enroll", "stage", "refresh",
        "prep", "post", "detect", "health", "ping", "disk", "memory", "uptime",
    ]

    /// The plan `answer` as it may be shown, or a question or refusal when the message asks for more than it.
    static func audit(
        _ answer: ConductorAnswer, _ analysis: RequestAnalysis, catalog: CatalogIndex
    ) -> ConductorAnswer? {
        guard answer.kind == .plan else { return nil }
        let operations = answer.plans.compactMap { plan in
            catalog.operationsByReference[RequestText.fold(plan.tool + "." + (plan.action ?? plan.workflow ?? ""))]
                .map { catalog.operations[$0] }
        }
        guard !operations.isEmpty else { return nil }
        let values = answer.plans.flatMap(\.parameters.values).map(RequestText.fold)
        // A word of any parameter's name ("process", "threshold") names a value, never an action.
        let parameterWords = Set(catalog.specsByName.keys.flatMap { $0.split(separator: "_").map(String.init) })
        var unknown = [String]()
        for raw in analysis.leftover ?? [] {
            let key = RequestText.fold(raw)
            let stems = Lexicon.stems(key)
            // A word of a value the plan carries ("Print Spooler", "8.5.0-1"): the value accounts for it.
            if values.contains(where: { value in
                value == key || value.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains { $0 == key }
            }) {
                continue
            }
            if stems.contains(where: parameterWords.contains) { continue }
            if operations.contains(where: { operation in stems.contains { (operation.vocabulary[$0] ?? 0) >= 0.5 } }) {
                continue
            }
            if isFiller(key, stems) { continue }
            if stems.contains(where: changeVerbs.contains) || SafetyScreen.forbiddenVerbs[key] != nil
                || SafetyScreen.commandWords.contains(key)
            {
                return refusal(
                    raw, "'\(raw)' asks for more than the catalog action I found; I won't plan only part of it.",
                    answer)
            }
            unknown.append(raw)
        }
        // Action words the chosen operation does not perform: a second request ("restart nginx and patch").
        // "tell me", "give me": a weak verb asks for the answer, not for another action.
        let unsupported = analysis.unsupported.filter { !Lexicon.weakVerbs.contains(RequestText.fold($0)) }
        var unperformed = (analysis.later ?? []) + unsupported
        let describing = Set(analysis.describing ?? [])
        for concept in analysis.concepts
        where !concept.implied && concept.weight > Lexicon.Strength.weak.rawValue
            && actions.contains(concept.canonical.first ?? "") && !describing.contains(concept.words)
            && !Lexicon.stateWords.contains(RequestText.fold(concept.words))
        {
            let performed = operations.contains { operation in
                concept.canonical.contains { (operation.vocabulary[$0] ?? 0) > 0 }
            }
            if !performed, !concept.words.isEmpty { unperformed.append(concept.words) }
        }
        // A verb no catalog action does ("… and move the logs", "enable and start") makes the whole request one
        // no plan covers, as it does alone.
        let changing = Set(unsupported)
        if let verb = unperformed.first(where: {
            SafetyScreen.forbiddenVerbs[RequestText.fold($0)] != nil || changing.contains($0)
        }) {
            return refusal(verb, "'\(verb)' asks for more than the catalog action I found.", answer)
        }
        guard !unknown.isEmpty || !unperformed.isEmpty else { return nil }
        // Three or more words nothing explains ("… and leave a message in the motd"): a second request that no
        // catalog action does, not a detail of this one.
        if unknown.count >= 3 {
            return refusal(
                unknown.joined(separator: " "),
                "Part of that request ('\(unknown.joined(separator: " "))') is something no catalog action does.",
                answer)
        }
        let words = (unperformed + unknown).map { "'\($0)'" }.joined(separator: ", ")
        let references = answer.plans.map { $0.tool + "." + ($0.action ?? $0.workflow ?? "") }
        let question = ConductorQuestion(
            field: "action",
            text:
                "I can plan \(references.joined(separator: " and ")), but not \(words). Should I plan only that, or what do you mean?",
            choices: references)
        return ConductorAnswer(
            kind: .clarify, text: question.text, confidence: 0.4, questions: [question],
            explanation: answer.explanation + [ConductorMatch(words: words, kind: "unaccounted", value: "", score: 0)])
    }

    /// Words that carry no request of their own wherever they stand: reasons, states and measures
    /// ("because it is stuck", "how much ram is used", "warn above 85%"), contractions, connectives.
    static let fillers: Set<String> = [
        "usage", "used", "use", "free", "full", "much", "many", "warn", "warning", "alert", "alerts",
        "last", "latest", "recent", "recently", "test", "issue", "issues", "problem", "problems", "trouble",
        "stuck", "hung", "hanging", "borked", "hosed", "wedged", "busted", "fubar", "tanked", "flapping", "frozen",
        "slow", "sluggish", "unhealthy", "healthy", "flaky", "weird", "odd",
        "because", "since", "cause", "due", "after", "before", "while", "without", "with", "tagged", "labelled",
        "labeled", "marked", "i'd", "i'm", "i've", "we'd", "we're", "it's", "that's", "let's", "there's", "he",
        "she", "they", "people", "users", "customers", "complaining", "reported", "reports", "says", "again",
        "quick", "full", "complete", "proper", "properly", "good", "fine", "ok", "okay", "sir", "boss", "pls",
        "plz", "thanks", "thank", "kind", "regards", "best", "morning", "afternoon", "evening", "hello", "dear",
        "appreciated", "appreciate", "grateful", "much", "glad", "when", "you", "get", "chance", "moment",
        "currently", "current", "bother", "disturb", "tomorrow", "yesterday", "tonight", "morning", "high",
        "low", "careful", "done", "finished", "situation", "box", "host", "target", "targets", "machine", "node",
        "server", "servers",
    ]

    /// A filler, a state word ("nginx is down"), a weak verb ("run a health check"), a single letter (a drive),
    /// a word the lexicon reads (judged as a concept), or a stop word with a typo ("teh").
    private static func isFiller(_ key: String, _ stems: [String]) -> Bool {
        if fillers.contains(key) || stems.contains(where: fillers.contains) { return true }
        if stems.contains(where: { Lexicon.stateWords.contains($0) || Lexicon.weakVerbs.contains($0) }) { return true }
        if key.count == 1, key.first?.isLetter == true { return true }
        if stems.contains(where: { Lexicon.synonyms[$0] != nil }) { return true }
        guard key.count >= 3, key.allSatisfy(\.isLetter) else { return false }
        return Lexicon.stopWords.contains { $0 != key && $0.count == key.count && $0.sorted() == key.sorted() }
    }

    private static func refusal(_ words: String, _ reason: String, _ answer: ConductorAnswer) -> ConductorAnswer {
        ConductorAnswer(
            kind: .refuse, text: reason, confidence: 0.8,
            explanation: answer.explanation + [ConductorMatch(words: words, kind: "refusal", value: reason, score: 0.8)]
        )
    }
}
