import OpsCore

/// What one message says, before it meets a particular catalog operation: the words that choose the action,
/// the values (named or not), and the targets.
struct RequestAnalysis: Sendable, Codable, Equatable {
    /// A value without a parameter name; `cue` is the word before it (`from`, `to`, `backup`) when it hints at one.
    struct FreeValue: Sendable, Codable, Equatable {
        enum Kind: String, Sendable, Codable { case word, quoted, path, url }
        var kind: Kind
        var value: String
        var cue: String?
        /// Joined to the previous value by "and" ("zsh and git"): another value for the same parameter.
        var joined: Bool?
    }

    /// How a follow-up's targets combine with the previous ones.
    enum SelectionMode: String, Sendable, Codable {
        case replace, narrow, widen
    }

    var concepts: [Lexicon.Concept] = []
    var named: [String: String] = [:]
    var free: [FreeValue] = []
    /// A percentage ("above 80%"), for a threshold-like parameter.
    var percent: String?
    var selection = TargetSelection()
    var selectionMode = SelectionMode.replace
    var matches: [ConductorMatch] = []
    /// "actually use tmux", "instead": a follow-up that corrects a value.
    var correction = false
    /// Verbs no catalog action does ("configure", "mount") that no loaded tool knows either.
    var unsupported: [String] = []
    /// Words nothing accounted for: not a verb, target, stop word or named value (unnamed values among them).
    var leftover: [String]?
    /// Action words of a later clause ("… and then check its status") that the plan would not perform.
    var later: [String]?
    /// Words right before a noun they describe ("the Windows Update service"): names, not requests.
    var describing: [String]?

    /// Whether the message named any target (known or not).
    var mentionsTargets: Bool { !selection.isEmpty || !selection.unknown.isEmpty }
    /// Whether it holds anything besides targets.
    var mentionsValues: Bool { !named.isEmpty || !free.isEmpty || percent != nil }
}
