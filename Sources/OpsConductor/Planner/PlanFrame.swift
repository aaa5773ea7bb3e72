import Foundation
import OpsCore

/// The planner's understanding of a conversation so far; stored as `ConversationState.frame` (JSON) so that a
/// follow-up ("nginx", "only the staging ones", "web01 and web02") fills what was missing, and so that a
/// confirmation re-resolves exactly what was shown.
struct PlanFrame: Sendable, Codable, Equatable {
    var version = 1
    var concepts: [Lexicon.Concept] = []
    var named: [String: String] = [:]
    var free: [RequestAnalysis.FreeValue] = []
    var percent: String?
    var selection = TargetSelection()
    /// The field the last answer asked about (`parameters.unit`, `targets`, `action`).
    var pendingField: String?

    init(_ analysis: RequestAnalysis) {
        concepts = analysis.concepts
        named = analysis.named
        free = analysis.free
        percent = analysis.percent
        selection = analysis.selection
    }

    /// Whether a follow-up adds anything to this frame (else it is planned on its own).
    func isAnswered(by analysis: RequestAnalysis) -> Bool {
        analysis.mentionsTargets || analysis.concepts.contains { !$0.implied && $0.weight >= 0.4 }
            || !analysis.named.isEmpty || analysis.percent != nil
            || (!analysis.free.isEmpty && (pendingField != nil || analysis.correction))
    }

    /// This frame with a follow-up's words: new words replace old ones, targets narrow, widen or replace,
    /// and an unnamed value answers the parameter that was asked for.
    func merged(with analysis: RequestAnalysis) -> PlanFrame {
        var frame = self
        // New verbs replace the old ones; nouns alone ("the nginx service" answering "which unit?") do not.
        let nouns: Set<String> = ["service", "package", "process", "unit", "binary", "kernel"]
        let decisive = analysis.concepts.filter { !$0.implied && $0.weight >= 0.4 }
        let newVerb = decisive.contains { !nouns.contains($0.canonical.first ?? "") }
        if newVerb { frame.concepts = analysis.concepts }
        frame.named.merge(analysis.named) { _, new in new }
        var free = analysis.free
        if let field = pendingField, field.hasPrefix("parameters."), !free.isEmpty,
            analysis.named[String(field.dropFirst("parameters.".count))] == nil
        {
            // A path answers a path question even after other words ("it runs from C:\…"); the other words
            // of the answer are no values.
            let name = String(field.dropFirst("parameters.".count))
            let pathLike = name.hasSuffix("path") || name.hasSuffix("dir")
            let pick = pathLike ? free.firstIndex { $0.kind == .path } ?? 0 : 0
            frame.named[name] = free.remove(at: pick).value
            free.removeAll { $0.kind == .word && !$0.value.contains(where: \.isNumber) }
        } else if !newVerb, !analysis.correction, pendingField == nil {
            // Stray words in a follow-up ("web02 as well") are no values.
            free.removeAll { $0.kind == .word }
        }
        if free.contains(where: { $0.kind != .path }) {
            frame.free = frame.free.filter { $0.kind == .path } + free
        } else if !free.isEmpty {
            frame.free = frame.free.filter { $0.kind != .path } + free
        }
        if let percent = analysis.percent { frame.percent = percent }
        if analysis.mentionsTargets {
            switch analysis.selectionMode {
            case .replace: frame.selection = analysis.selection
            case .narrow:
                frame.selection = selection.isEmpty ? analysis.selection : selection.narrowed(by: analysis.selection)
            case .widen: frame.selection = selection.widened(by: analysis.selection)
            }
        }
        frame.pendingField = nil
        return frame
    }

    /// The frame as stored in `ConversationState.frame`.
    var json: String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// A stored frame; nil when absent or written by an incompatible version.
    static func decode(_ text: String?) -> PlanFrame? {
        guard let data = text?.data(using: .utf8), let frame = try? JSONDecoder().decode(PlanFrame.self, from: data),
            frame.version == 1
        else { return nil }
        return frame
    }
}
