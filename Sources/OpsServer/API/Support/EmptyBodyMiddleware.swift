import HTTPTypes
import OpenAPIRuntime

/// Hands the generated code no body when the request has an empty one. Vapor's transport passes a
/// zero-length body for a request without any, and the generated decoder then fails to read JSON
/// from it: an operation whose body is optional (rerun) answered 400 to a request the document
/// allows. A required body that is empty is still refused, as missing.
struct EmptyBodyMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPTypes.HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next:
            @Sendable (HTTPTypes.HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
                HTTPTypes.HTTPResponse, HTTPBody?
            )
    ) async throws -> (HTTPTypes.HTTPResponse, HTTPBody?) {
        if let body, case .known(0) = body.length {
            return try await next(request, nil, metadata)
        }
        return try await next(request, body, metadata)
    }
}
