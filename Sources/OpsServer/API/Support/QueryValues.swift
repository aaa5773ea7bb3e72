import Vapor

/// Query-string values by name, from a page's request or from a generated API operation's typed
/// input, so one parser checks the filters of both.
struct QueryValues {
    private let lookup: (String) -> String?

    init(_ values: [String: String?]) {
        lookup = { values[$0] ?? nil }
    }

    init(_ request: Request) {
        lookup = { request.query[String.self, at: $0] }
    }

    subscript(_ name: String) -> String? { lookup(name) }
}
