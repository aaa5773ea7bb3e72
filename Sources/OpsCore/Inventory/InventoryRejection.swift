/// A host or CSV row that was left out of the import, and why; the rest of the file was still read.
public struct InventoryRejection: Sendable, Equatable, CustomStringConvertible {
    /// The 1-based source line of the host or row.
    public var line: Int
    /// The host name, when one could be read.
    public var name: String?
    /// What is wrong, for the user; never contains a password.
    public var reason: String

    /// A rejection of the host or row `name` on `line`.
    public init(line: Int, name: String?, reason: String) {
        self.line = line
        self.name = name
        self.reason = reason
    }

    /// `line N: name: reason`, for logs and the import report.
    public var description: String {
        if let name { "line \(line): \(name): \(reason)" } else { "line \(line): \(reason)" }
    }
}

/// What became of one host or row: imported, or left out with a reason.
enum HostOutcome {
    case accepted(InventoryHost)
    case rejected(InventoryRejection)
}
