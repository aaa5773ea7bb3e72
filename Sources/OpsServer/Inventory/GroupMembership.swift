import Foundation
import OpsCore

/// How many targets a group holds: its static members and those its tag selector matches (a target both ways
/// counts once), computed in memory over the inventory's tags so a list of groups costs one query of targets.
struct GroupMembership: Sendable, Equatable {
    /// Every member, static or by selector.
    var total: Int
    /// Members added by hand.
    var statics: Int
    /// Targets the selector matches (static members included); nil when the group has no selector.
    var matched: Int?
    /// The selector could not be read (stored before the parser got stricter): it matches nothing.
    var selectorInvalid = false

    /// `staticNames` are the group's static members; `targets` are every target's name and tags.
    static func count(selector: String?, staticNames: Set<String>, targets: [(name: String, tags: [String: String])])
        -> GroupMembership
    {
        guard let text = selector?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return GroupMembership(total: staticNames.count, statics: staticNames.count, matched: nil)
        }
        guard let parsed = try? TagSelector(parsing: text) else {
            return GroupMembership(
                total: staticNames.count, statics: staticNames.count, matched: 0, selectorInvalid: true)
        }
        let matched = Set(targets.filter { parsed.matches($0.tags) }.map(\.name))
        return GroupMembership(
            total: matched.union(staticNames).count, statics: staticNames.count, matched: matched.count)
    }

    /// "5 targets (2 static, 4 by selector)" and the like.
    var summary: String {
        let head = total == 1 ? "1 target" : "\(total) targets"
        guard let matched else { return head }
        if selectorInvalid { return "\(head) (the selector is not valid and matches none)" }
        return "\(head) (\(statics) static, \(matched) by selector)"
    }
}
