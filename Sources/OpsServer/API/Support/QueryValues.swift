import Vapor

/// Query-string values by name, from a page's request or from a generated API operation's typed
/// input, so one parser checks the filters of both.
struct QueryValues {
    private let lookup: (String) -> String?

    init(_ values: [String: String?]) {
        lookup = { values[$0] ?? nil }
    }

    /// The query string is parsed once when every value is a plain one (as good as always); a query with nested
    /// keys (`a[b]=c`) is looked up name by name, as before.
    init(_ request: Request) {
        if let values = try? request.query.decode([String: String].self) {
            lookup = { values[$0] }
        } else {
            lookup = { request.query[String.self, at: $0] }
        }
    }

    subscript(_ name: String) -> String? { lookup(name) }
}
