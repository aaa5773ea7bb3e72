import Foundation
import OpsCore

@testable import OpsConductor

/// The built-in catalog and the evaluation inventory, loaded once, with helpers to plan and converse.
struct ConductorWorld {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    let catalog: Catalog
    var inventory: ConductorInventory
    let planner = DeterministicPlanner()

    init() throws {
        let (tools, errors) = CatalogLoader.load(directories: [Self.root.appendingPathComponent("Tools").path])
        guard errors.isEmpty, !tools.isEmpty else { throw WorldError.catalog(errors.map(\.description)) }
        catalog = Catalog(tools: tools)
        let file = Self.root.appendingPathComponent("Tests/fixtures/conductor/inventory.json")
        inventory = try JSONDecoder().decode(ConductorInventory.self, from: Data(contentsOf: file))
    }

    enum WorldError: Error { case catalog([String]) }

    /// Plans one message of a new conversation.
    func plan(_ text: String) -> ConductorAnswer {
        planner.plan(text, state: nil, catalog: catalog, inventory: inventory).0
    }

    /// Plans the turns of one conversation (no confirmation step) and returns the last answer and state.
    func converse(_ turns: [String]) -> (ConductorAnswer, ConversationState) {
        var state: ConversationState?
        var last = ConductorAnswer(kind: .refuse, text: "", confidence: 0)
        for turn in turns {
            let (answer, next) = planner.plan(turn, state: state, catalog: catalog, inventory: inventory)
            last = answer
            state = next
        }
        return (last, state ?? ConversationState())
    }

    /// The targets of a group in the fixture inventory.
    func members(_ group: String) -> [String] {
        inventory.groups.first { $0.name == group }?.members ?? []
    }

    /// The fixture inventory's targets matching a condition, sorted.
    func targets(where condition: (ConductorTarget) -> Bool) -> [String] {
        inventory.targets.filter(condition).map(\.name).sorted()
    }

    /// Adds a target to the inventory (and to its groups).
    mutating func add(_ target: ConductorTarget) {
        inventory.targets.append(target)
        for group in target.groups {
            if let index = inventory.groups.firstIndex(where: { $0.name == group }) {
                inventory.groups[index].members = (inventory.groups[index].members + [target.name]).sorted()
            }
        }
    }
}

/// Writes site tools into a temporary directory and loads them with the built-in ones.
enum SiteTools {
    static func catalog(adding yaml: [String: String], to world: ConductorWorld) throws -> Catalog {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("conductor-site-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (id, text) in yaml {
            let folder = directory.appendingPathComponent(id)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try text.write(to: folder.appendingPathComponent("tool.yml"), atomically: true, encoding: .utf8)
        }
        let (tools, errors) = CatalogLoader.load(directories: [directory.path])
        guard errors.isEmpty else { throw ConductorWorld.WorldError.catalog(errors.map(\.description)) }
        return Catalog(tools: world.catalog.tools + tools)
    }
}
