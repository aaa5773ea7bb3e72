import Foundation

/// What `/conductor` shows: the user's conversations, the one open, and what its cards need.
struct ConductorPageModel {
    /// A launched run as its card starts (the live script takes it from there).
    struct RunCard {
        var id: String
        var reference: String
        var status: String
        var targetCount: Int
        var steps: [String]
        var startedAt: Date?
        var finishedAt: Date?
    }

    var conversations: [ConversationSummaryDTO]
    var selected: ConversationDTO?
    /// Each target's OS, to count a plan's targets by OS.
    var osByTarget: [String: String]
    /// Runs the open conversation launched, by id.
    var runs: [String: RunCard]
    /// Operators and admins may confirm a plan; viewers plan only.
    var canLaunch: Bool

    /// The assistant message whose plans wait for Confirm or Cancel: the last one, while the conversation waits.
    var awaitingMessageID: String? {
        guard let selected, selected.awaitingConfirmation else { return nil }
        return selected.messages.last { $0.role == "assistant" }?.id
    }

    /// "3 targets: 2 linux, 1 windows".
    func targetSummary(_ targets: [String]) -> String {
        let byOS = Dictionary(grouping: targets) { osByTarget[$0] ?? "unknown" }
            .map { "\($0.value.count) \($0.key)" }.sorted()
        return "\(targets.count) target\(targets.count == 1 ? "" : "s")"
            + (byOS.isEmpty ? "" : ": " + byOS.joined(separator: ", "))
    }
}
