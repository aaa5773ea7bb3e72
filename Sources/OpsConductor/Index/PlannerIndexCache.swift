import Foundation
import OpsCore

/// Keeps the indexes of the last few catalog and inventory snapshots, so that each answer plans against
/// prepared indexes. A snapshot is found again by equality, which costs nothing when the server passes the
/// same snapshot again (arrays compare their storage first) and a linear comparison when it built a new one.
final class PlannerIndexCache: @unchecked Sendable {
    private let lock = NSLock()
    private var catalogs: [(tools: [ToolDefinition], index: CatalogIndex)] = []
    private var inventories: [(inventory: ConductorInventory, index: InventoryIndex)] = []
    /// Entries kept per kind (the server's current snapshot and a few recent ones).
    let capacity: Int

    init(capacity: Int = 4) {
        self.capacity = capacity
    }

    func indexes(_ catalog: Catalog, _ inventory: ConductorInventory) -> (CatalogIndex, InventoryIndex) {
        lock.lock()
        let cachedCatalog = catalogs.first { $0.tools == catalog.tools }?.index
        let cachedInventory = inventories.first { $0.inventory == inventory }?.index
        lock.unlock()
        let catalogIndex = cachedCatalog ?? CatalogIndex(catalog)
        let inventoryIndex = cachedInventory ?? InventoryIndex(inventory)
        lock.lock()
        if cachedCatalog == nil {
            catalogs.insert((catalog.tools, catalogIndex), at: 0)
            if catalogs.count > capacity { catalogs.removeLast() }
        }
        if cachedInventory == nil {
            inventories.insert((inventory, inventoryIndex), at: 0)
            if inventories.count > capacity { inventories.removeLast() }
        }
        lock.unlock()
        return (catalogIndex, inventoryIndex)
    }
}
