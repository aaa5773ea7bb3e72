/// One Ansible group as written in the file, before its variables reach the hosts.
public struct InventoryGroup: Sendable, Equatable {
    /// The group name.
    public var name: String
    /// Hosts listed in the group itself, in file order (members through `children` are not repeated).
    public var directHosts: [String]
    /// Names of the child groups, in file order.
    public var children: [String]
    /// The group's scalar variables as written. Variables whose name suggests a secret (containing
    /// `pass`, `secret` or `token`) are left out; the hosts that inherit a password carry it.
    public var vars: [String: String]
    /// The 1-based source line where the group is first defined or mentioned.
    public var line: Int

    /// A group; everything but the name and line defaults to empty.
    public init(
        name: String, directHosts: [String] = [], children: [String] = [], vars: [String: String] = [:], line: Int
    ) {
        self.name = name
        self.directHosts = directHosts
        self.children = children
        self.vars = vars
        self.line = line
    }
}
