import Foundation
import OpsCore

/// Keeps the indexes of the last few catalog and inventory snapshots, keyed by a fingerprint of their
/// content, so that each answer only hashes the snapshots and plans against prepared indexes.
final class PlannerIndexCache: @unchecked Sendable {
    private let lock = NSLock()
    private var catalogs: [(key: Int, index: CatalogIndex)] = []
    private var inventories: [(key: Int, index: InventoryIndex)] = []
    /// Entries kept per kind (the server's current snapshot and a few recent ones).
    let capacity: Int

    init(capacity: Int = 4) {
        self.capacity = capacity
    }

    func indexes(_ catalog: Catalog, _ inventory: ConductorInventory) -> (CatalogIndex, InventoryIndex) {
        let catalogKey = Self.fingerprint(catalog)
        let inventoryKey = Self.fingerprint(inventory)
        lock.lock()
        let cachedCatalog = catalogs.first { $0.key == catalogKey }?.index
        let cachedInventory = inventories.first { $0.key == inventoryKey }?.index
        lock.unlock()
        let catalogIndex = cachedCatalog ?? CatalogIndex(catalog)
        let inventoryIndex = cachedInventory ?? InventoryIndex(inventory)
        lock.lock()
        if cachedCatalog == nil {
            catalogs.insert((catalogKey, catalogIndex), at: 0)
            if catalogs.count > capacity { catalogs.removeLast() }
        }
        if cachedInventory == nil {
            inventories.insert((inventoryKey, inventoryIndex), at: 0)
            if inventories.count > capacity { inventories.removeLast() }
        }
        lock.unlock()
        return (catalogIndex, inventoryIndex)
    }

    /// Everything planning reads from a catalog.
    static func fingerprint(_ catalog: Catalog) -> Int {
        var hasher = Hasher()
        for tool in catalog.tools {
            hasher.combine(tool.id)
            hasher.combine(tool.name)
            hasher.combine(tool.description)
            hasher.combine(tool.category)
            hasher.combine(tool.platforms)
            for action in tool.actions {
                hasher.combine(action.id)
                hasher.combine(action.name)
                hasher.combine(action.description)
                hasher.combine(action.destructive)
                for spec in action.parameters { combine(spec, into: &hasher) }
            }
            for workflow in tool.workflows {
                hasher.combine(workflow.id)
                hasher.combine(workflow.name)
                hasher.combine(workflow.description)
                for step in workflow.steps { hasher.combine(step.action) }
            }
        }
        return hasher.finalize()
    }

    private static func combine(_ spec: ParameterSpec, into hasher: inout Hasher) {
        hasher.combine(spec.name)
        hasher.combine(spec.type.rawValue)
        hasher.combine(spec.required)
        hasher.combine(spec.defaultValue)
        hasher.combine(spec.pattern)
        hasher.combine(spec.maxLength)
        hasher.combine(spec.min)
        hasher.combine(spec.max)
        hasher.combine(spec.values)
        hasher.combine(spec.secret)
        hasher.combine(spec.help)
    }

    /// Everything planning reads from an inventory snapshot.
    static func fingerprint(_ inventory: ConductorInventory) -> Int {
        var hasher = Hasher()
        hasher.combine(inventory.targets.count)
        for target in inventory.targets {
            hasher.combine(target.name)
            hasher.combine(target.os)
            hasher.combine(target.tags)
            hasher.combine(target.groups)
        }
        for group in inventory.groups {
            hasher.combine(group.name)
            hasher.combine(group.description)
            hasher.combine(group.members)
        }
        return hasher.finalize()
    }
}
