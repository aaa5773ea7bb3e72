import OpenAPIRuntime
import Vapor

/// Turns every error into a response: `application/problem+json` (RFC 9457) for the API and JSON
/// clients, an HTML page for browsers. Neither ever shows a stack trace, SQL or an internal type.
struct ProblemErrorMiddleware: AsyncMiddleware {
    struct Problem: Content, Hashable {
        var type = "about:blank"
        var title: String
        var status: Int
        var detail: String
        var request_id: String
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return Self.response(for: error, request: request)
        }
    }

    static func response(for error: any Error, request: Request) -> Response {
        let (status, detail, headers) = describe(error)
        if status.code >= 500 {
            request.logger.error("request failed", metadata: ["error": .string(String(reflecting: error))])
        } else {
            request.logger.notice(
                "request refused",
                metadata: ["http.status": .stringConvertible(status.code), "reason": .string(detail)])
        }
        let response: Response
        if wantsJSON(request) {
            let problem = Problem(
                title: status.reasonPhrase, status: Int(status.code), detail: detail, request_id: request.requestID)
            let body = (try? JSONEncoder().encode(problem)) ?? Data()
            response = Response(status: status, body: .init(data: body))
            response.headers.replaceOrAdd(name: .contentType, value: "application/problem+json")
        } else {
            response = ErrorPageView.render(
                status: Int(status.code), title: status.reasonPhrase, message: detail, requestID: request.requestID,
                context: errorPageContext(request)
            ).response(status: status)
        }
        for (name, value) in headers where name.lowercased() != "content-type" {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        return response
    }

    /// The layout context of an error page: the signed-in user's navigation (no flash: that waits for a real
    /// page), or none.
    static func errorPageContext(_ request: Request) -> PageContext {
        guard let principal = request.principal else { return .anonymous }
        return PageContext(
            username: principal.username, role: principal.role, csrfToken: principal.csrfToken, flash: nil,
            section: nil)
    }

    /// Status, a message safe to show, and headers to pass on (Retry-After, WWW-Authenticate).
    static func describe(_ error: any Error) -> (HTTPResponseStatus, String, HTTPHeaders) {
        switch error {
        case let decoding as DecodingError:  // before AbortError: Vapor makes it one, with type internals
            return (.badRequest, describe(decoding), [:])
        case let abort as any AbortError:
            let reason = abort.status.code >= 500 ? "internal error" : abort.reason
            return (abort.status, reason, abort.headers)
        case let server as ServerError:
            // The generated API code wraps what a handler or its request decoding threw.
            if server.underlyingError is any AbortError || server.underlyingError is DecodingError {
                return describe(server.underlyingError)
            }
            let status = HTTPResponseStatus(statusCode: server.httpStatus.code)
            return (status, status.code >= 500 ? "internal error" : server.causeDescription, [:])
        default:
            return (.internalServerError, "internal error; the server log has the details", [:])
        }
    }

    /// Names the field and the problem, without type internals.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let joined = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return joined.isEmpty ? "body" : "'\(joined)'"
        }
        if error.context.codingPath.isEmpty, !error.isKeyNotFound {
            return "the body must be a JSON object"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "field \(path(context.codingPath)) has the wrong type or is null"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "the request body is not valid" : "field \(path(context.codingPath)) is not valid"
        @unknown default:
            return "the request body is not valid"
        }
    }

    static func wantsJSON(_ request: Request) -> Bool {
        if request.isAPIRequest { return true }
        let accept = request.headers.first(name: .accept) ?? ""
        return accept.contains("json") && !accept.contains("text/html")
    }
}

extension DecodingError {
    var context: Context {
        switch self {
        case .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
            .dataCorrupted(let context):
            context
        @unknown default:
            Context(codingPath: [], debugDescription: "")
        }
    }

    var isKeyNotFound: Bool {
        if case .keyNotFound = self { return true }
        return false
    }
}
