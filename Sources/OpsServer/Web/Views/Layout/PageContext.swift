import OpsCore

/// A message shown once at the top of the next page.
struct Flash: Sendable, Equatable {
    enum Kind: String, Sendable { case success, error, info }
    var kind: Kind
    var message: String

    /// Stored in the session row as `kind|message`.
    var encoded: String { "\(kind.rawValue)|\(message)" }

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    init?(encoded: String) {
        let parts = encoded.split(separator: "|", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = Kind(rawValue: parts[0]) else { return nil }
        self.init(kind, parts[1])
    }
}

/// What the layout needs to know about the person looking at a page.
struct PageContext: Sendable {
    var username: String?
    var role: Role?
    var csrfToken: String?
    var flash: Flash?
    var section: Section?

    static let anonymous = PageContext()
}
