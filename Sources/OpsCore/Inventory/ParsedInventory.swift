/// The result of reading an inventory file: the hosts to import, the groups, and what was left out.
public struct ParsedInventory: Sendable, Equatable {
    /// Accepted hosts, in order of first appearance, each listed once.
    public var hosts: [InventoryHost]
    /// Groups in order of first appearance, without Ansible's implicit `all` and `ungrouped`.
    public var groups: [InventoryGroup]
    /// Hosts or rows that could not be imported, in file order.
    public var rejections: [InventoryRejection]

    /// An inventory; empty by default.
    public init(hosts: [InventoryHost] = [], groups: [InventoryGroup] = [], rejections: [InventoryRejection] = []) {
        self.hosts = hosts
        self.groups = groups
        self.rejections = rejections
    }

    /// The accepted host called `name`, if any.
    public func host(named name: String) -> InventoryHost? { hosts.first { $0.name == name } }

    /// The group called `name`, if any.
    public func group(named name: String) -> InventoryGroup? { groups.first { $0.name == name } }
}
