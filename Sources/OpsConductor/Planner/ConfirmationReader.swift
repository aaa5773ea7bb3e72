/// Reads a reply to a plan awaiting confirmation: the whole reply must say yes or no ("yes but only web01" is
/// neither, and is planned as a follow-up).
enum ConfirmationReader {
    enum Reply: Equatable { case yes, no, other }

    private static let yes: Set<String> = [
        "yes", "y", "yep", "yeah", "yup", "ya", "yea", "sure", "ok", "okay", "k", "confirm", "confirmed", "approve",
        "approved", "proceed", "go", "ahead", "do", "run", "launch", "ship", "lgtm", "affirmative", "absolutely",
        "correct", "continue", "execute", "👍", "✅", "for", "definitely", "right", "oui", "ja", "si",
    ]
    private static let no: Set<String> = [
        "no", "n", "nope", "nah", "cancel", "abort", "stop", "dont", "don't", "not", "never", "mind", "nevermind",
        "forget", "drop", "decline", "declined", "reject", "rejected", "👎", "❌", "hold", "off", "wait", "non",
        "nein", "cancelled", "canceled", "scrap", "skip",
    ]
    private static let fillers: Set<String> = [
        "please", "pls", "thanks", "thank", "you", "it", "that", "the", "plan", "this", "now", "then", "a", "i",
        "to", "so", "and", "all", "good", "looks", "fine", "great", "perfect", "go", "let's", "lets", "let", "do",
        "on", "sec", "second", "minute", "moment", "a",
    ]

    static func read(_ text: String) -> Reply {
        let words = RequestText.fold(text).split {
            !($0.isLetter || $0.isNumber || $0 == "'"
                || $0.unicodeScalars.allSatisfy { $0.properties.isEmoji && $0.value > 0xFF })
        }
        .map(String.init)
        guard !words.isEmpty, words.count <= 8 else { return .other }
        let saysYes = words.contains(where: yes.contains)
        let saysNo = words.contains(where: no.contains)
        guard words.allSatisfy({ yes.contains($0) || no.contains($0) || fillers.contains($0) }) else { return .other }
        switch (saysYes, saysNo) {
        case (true, false): return .yes
        case (false, true),
            (true, true) where words.contains("not") || words.contains("don't") || words.contains("dont"):
            return .no
        default: return .other
        }
    }
}
