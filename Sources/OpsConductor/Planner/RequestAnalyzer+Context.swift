/// Clauses that give context rather than ask: "We had reports from the east site that the pages are slow.",
/// "…, customer is complaining", "because it is stuck". Their words neither choose the action nor need to be
/// accounted for by the plan, and they are the last place a value is looked for. Targets they name still count
/// ("The queue on win-print01 is stuck. Please restart the Spooler there.").
///
/// A clause is context only when it starts like a statement (a subject, a reason, a greeting or thanks), asks
/// nothing of the reader (no "you", "please", "need", "then", "also"…), holds no value, command or change verb
/// (a past one in a story, "we changed its config", excepted), and another clause of the message asks for an
/// action. Anything else is read as part of the request, so an instruction never hides as context.
extension RequestAnalyzer {
    static let statementStarts: Set<String> = [
        "i", "we", "it", "its", "they", "he", "she", "the", "this", "that", "there", "our", "my", "their", "his",
        "her", "customer", "customers", "users", "user", "everyone", "everybody", "something", "nothing",
        "yesterday", "today", "tonight", "since", "because", "before", "after", "when", "while", "until", "many",
        "best", "kind", "thanks", "thank", "cheers", "regards", "sorry", "hello", "hi", "hey", "good", "dear",
        "people", "someone", "somebody", "apparently", "seems", "looks",
    ]
    static let requestMarkers: Set<String> = [
        "you", "u", "ya", "please", "pls", "plz", "kindly", "can", "could", "would", "will", "should", "must",
        "need", "needs", "want", "wants", "wanna", "then", "also", "too", "lets", "let's", "let", "make", "ensure",
        "shall", "have", "has", "gotta", "and", "plus", "afterwards", "next", "later",
    ]
    static let narrators: Set<String> = ["i", "we", "they", "he", "she", "someone", "somebody"]
    static let subordinators: Set<String> = ["before", "after", "since", "because", "when", "while", "until"]
    static let signOffs: Set<String> = ["regards", "thanks", "thank", "cheers", "best", "br", "thx", "ty"]

    mutating func readContext() {
        var clauses = [[Int]]()
        var current = [Int]()
        for index in tokens.indices {
            if tokens[index].isWord, ["because", "since"].contains(tokens[index].key), !current.isEmpty {
                clauses.append(current)
                current = []
            }
            current.append(index)
            if tokens[index].endsClause {
                clauses.append(current)
                current = []
            }
        }
        if !current.isEmpty { clauses.append(current) }
        guard clauses.count > 1 else { return }
        var found = Set<Int>()
        var asking = false
        for (position, clause) in clauses.enumerated() {
            // "Best regards, Anna": a name or two after a sign-off at the end.
            let signature =
                position == clauses.count - 1 && position > 0 && clause.count <= 2
                && clauses[position - 1].contains { Self.signOffs.contains(tokens[$0].key) }
                && clause.allSatisfy { tokens[$0].isWord && lexiconWord(tokens[$0].key) == nil }
            if signature || isContext(clause) {
                found.formUnion(clause)
            } else {
                asking = true
            }
        }
        if asking { context = found }
    }

    private func isContext(_ clause: [Int]) -> Bool {
        guard let first = clause.first(where: { tokens[$0].isWord }),
            Self.statementStarts.contains(tokens[first].key)
        else { return false }
        let keys = clause.map { tokens[$0].key }
        if clause.contains(where: { !tokens[$0].isWord }) { return false }
        if keys.contains(where: Self.requestMarkers.contains) { return false }
        // A story's change verbs: past or ongoing ("we changed", "we are doing patching"), or in a clause of
        // time or reason ("before we start", "since the deploy").
        let narrated = keys.contains(where: Self.narrators.contains)
        let subordinate = Self.subordinators.contains(tokens[first].key)
        for key in keys {
            if SafetyScreen.commandWords.contains(key) || SafetyScreen.forbiddenVerbs[key] != nil { return false }
            let changes = Lexicon.stems(key).contains(where: PlanAudit.changeVerbs.contains)
            let story = narrated && (key.hasSuffix("ed") || key.hasSuffix("ing"))
            if changes, !story, !subordinate { return false }
        }
        return true
    }
}
