import Foundation
import HTTPTypes
import OpenAPIRuntime
import OpenAPIVapor
import OpsCore
import Vapor

/// The REST API: implements the `APIProtocol` that swift-openapi-generator generates from
/// openapi.yaml, so routing, parameter and body decoding and response encoding follow the document.
/// Each operation lives in an extension by area (`APIHandler+Runs.swift`…); errors are thrown and
/// rendered as problem+json by ``ProblemErrorMiddleware``.
struct APIHandler: APIProtocol {
    /// Registers every operation of the document under its path, guarded by the role it names.
    static func register(on routes: any RoutesBuilder) throws {
        let operations = try APIOperations.bundled()
        let transport = VaporTransport(routesBuilder: APIOperationRoutes(base: routes, operations: operations))
        try APIHandler().registerHandlers(
            on: transport, configuration: Configuration(jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]),
            middlewares: [RelativeLocationMiddleware(), EmptyBodyMiddleware(), RunListFastPath()])
        let socketRole = operations.webSockets.first { $0.path == "/api/v1/runs/{id}/ws" }?.role ?? .admin
        RoleRoutes(routes, role: socketRole).get("api", "v1", "runs", ":id", "ws", use: RunWebSocket.upgrade)
    }

    /// The Vapor request of the operation running now.
    var request: Request {
        get throws { try APIContext.current() }
    }
}

/// The runtime percent-encodes header values as URI components, which turns a `Location` of
/// `/api/v1/runs/r-…` into `%2Fapi%2F…`. A location is a URI reference already, so this puts
/// it back.
struct RelativeLocationMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPTypes.HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next:
            @Sendable (HTTPTypes.HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
                HTTPTypes.HTTPResponse, HTTPBody?
            )
    ) async throws -> (HTTPTypes.HTTPResponse, HTTPBody?) {
        var (response, responseBody) = try await next(request, body, metadata)
        if let location = response.headerFields[.location], let decoded = location.removingPercentEncoding {
            response.headerFields[.location] = decoded
        }
        return (response, responseBody)
    }
}
