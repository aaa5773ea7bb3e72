import OpenAPIRuntime
import Vapor

/// The Vapor request behind the generated handler that is running. swift-openapi-vapor hands the
/// handlers only the typed input, so ``APIOperationRoutes`` sets this for every API route.
enum APIContext {
    @TaskLocal static var request: Request?

    /// The current request; only a programming error (a handler called outside a route) throws.
    static func current() throws -> Request {
        guard let request else { throw Abort(.internalServerError, reason: "no request context") }
        return request
    }
}

/// Runs the rest of the chain with ``APIContext/request`` set, after reading the body up to the
/// operation's limit (the generated code would otherwise collect a body of any size).
struct APIContextMiddleware: AsyncMiddleware {
    let maxBodySize: Int
    /// The operation's query parameters, checked first so a bad value is refused naming the
    /// parameter (the generated decoder cannot say which one failed).
    var query: [APIOperations.QueryParameter] = []
    /// The JSON body's properties that may not be `null` (the generated decoders take it for absent).
    var nonNull = NonNullFields()

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let tooLarge = Abort(.payloadTooLarge, reason: "the body is over \(maxBodySize / 1024) KiB")
        if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > maxBodySize {
            throw tooLarge
        }
        var body = request.body.data
        if let data = body {
            guard data.readableBytes <= maxBodySize else { throw tooLarge }
        } else if request.method != .GET, request.method != .HEAD {
            body = try await request.body.collect(max: maxBodySize).get()
        }
        if let body, request.headers.contentType?.subType == "json" {
            try nonNull.check(Data(body.readableBytesView))
        }
        for parameter in query {
            if let value = request.query[String.self, at: parameter.name] { try parameter.check(value) }
        }
        return try await APIContext.$request.withValue(request) {
            try await next.respond(to: request)
        }
    }
}
