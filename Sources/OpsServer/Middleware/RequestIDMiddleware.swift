import Vapor

/// Gives every request an id (the caller's `X-Request-ID` when it is sane), puts it in the request's
/// logger metadata as `request.id` and echoes it in the response.
struct RequestIDMiddleware: AsyncMiddleware {
    static let header = "X-Request-ID"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let id = Self.acceptable(request.headers.first(name: Self.header)) ?? UUID().uuidString.lowercased()
        request.storage[RequestIDKey.self] = id
        request.logger[metadataKey: "request.id"] = .string(id)
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: Self.header, value: id)
        return response
    }

    /// The caller's id when it is 1–64 characters of letters, digits, '.', '_' or '-'.
    static func acceptable(_ value: String?) -> String? {
        guard let value, (1...64).contains(value.count),
            value.unicodeScalars.allSatisfy({
                CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)
            }),
            value.allSatisfy(\.isASCII)
        else { return nil }
        return value
    }
}

struct RequestIDKey: StorageKey {
    typealias Value = String
}

extension Request {
    /// The id given by ``RequestIDMiddleware``.
    var requestID: String { storage[RequestIDKey.self] ?? id }
}
