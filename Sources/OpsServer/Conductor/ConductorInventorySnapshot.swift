import Fluent
import Foundation
import OpsConductor
import OpsCore

/// The inventory as the planner sees it, read in three queries whatever its size: every target with its OS,
/// transport, tags and groups (static and by selector), and every group with its description and resolved members.
enum ConductorInventorySnapshot {
    static func load(on database: any Database) async throws -> ConductorInventory {
        let targets = try await Target.query(on: database)
            .field(\.$id).field(\.$name).field(\.$os).field(\.$transport).field(\.$tagsJSON)
            .sort(\.$name).all()
        let groups = try await TargetGroup.query(on: database).sort(\.$name).all()
        let links = try await TargetGroupMember.query(on: database).all()
        return build(targets: targets, groups: groups, links: links.map { ($0.$group.id, $0.$target.id) })
    }

    /// The snapshot from loaded rows, in memory: selector groups matched against each target's tags.
    static func build(
        targets: [Target], groups: [TargetGroup], links: [(group: UUID, target: UUID)]
    ) -> ConductorInventory {
        let names = Dictionary(targets.compactMap { target in target.id.map { ($0, target.name) } }) { first, _ in first
        }
        let staticMembers = Dictionary(grouping: links, by: \.group).mapValues {
            Set($0.compactMap { names[$0.target] })
        }
        let tagsByTarget = targets.map { ($0.name, $0.tags) }
        var membership = [String: [String]]()
        var conductorGroups = [ConductorGroup]()
        for group in groups {
            var members = group.id.flatMap { staticMembers[$0] } ?? []
            if let text = group.selector, !text.isEmpty, let selector = try? TagSelector(parsing: text) {
                for (name, tags) in tagsByTarget where selector.matches(tags) { members.insert(name) }
            }
            let sorted = members.sorted()
            for member in sorted { membership[member, default: []].append(group.name) }
            conductorGroups.append(
                ConductorGroup(name: group.name, description: group.groupDescription, members: sorted))
        }
        let conductorTargets = zip(targets, tagsByTarget).map { target, pair in
            ConductorTarget(
                name: target.name, os: OSFamily(parsing: target.os) ?? .linux, transport: target.transport,
                tags: pair.1, groups: membership[target.name] ?? [])
        }
        return ConductorInventory(targets: conductorTargets, groups: conductorGroups)
    }
}
