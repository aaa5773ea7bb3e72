import Vapor

/// Answers 405 with `Allow` (RFC 9110 §15.5.6) for a method that a documented API path does not
/// have, instead of the router's 404: a generated client can then tell "wrong method" from
/// "no such object". The paths and their methods come from openapi.yaml, so the answer follows
/// the document; paths it does not name fall through to the router.
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    /// A documented path split into segments; `nil` stands for a `{parameter}` segment.
    struct Template: Sendable, Equatable {
        var segments: [String?]
        var methods: Set<String>

        var parameterCount: Int { segments.filter { $0 == nil }.count }

        func matches(_ path: [Substring]) -> Bool {
            guard path.count == segments.count else { return false }
            return zip(segments, path).allSatisfy { segment, part in segment.map { $0 == part } ?? !part.isEmpty }
        }
    }

    let templates: [Template]

    init(operations: APIOperations) {
        var methods = [String: Set<String>]()
        for operation in operations.byRoute.values {
            methods[operation.path, default: []].insert(operation.method)
        }
        templates = methods.map { path, methods in
            Template(
                segments: path.split(separator: "/").map { $0.hasPrefix("{") ? nil : String($0) }, methods: methods)
        }
    }

    /// The methods the path has, HEAD with GET; nil when the document does not name the path.
    func allowedMethods(path: String) -> [String]? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        // As the router: a literal segment wins over a parameter (`/targets/test` is not `/targets/{name}`).
        let matching = templates.filter { $0.matches(Array(parts)) }
        guard let fewest = matching.map(\.parameterCount).min() else { return nil }
        var methods = matching.filter { $0.parameterCount == fewest }.reduce(into: Set<String>()) {
            $0.formUnion($1.methods)
        }
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let allowed = allowedMethods(path: request.url.path), !allowed.contains(request.method.rawValue) {
            throw Abort(
                .methodNotAllowed, headers: ["Allow": allowed.joined(separator: ", ")],
                reason:
                    "\(request.method.rawValue) is not a method of this path; it has \(allowed.joined(separator: ", "))"
            )
        }
        return try await next.respond(to: request)
    }
}
