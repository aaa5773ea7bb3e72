import Vapor

/// Request body limits of the web routes, in one place: the route that collects the body and the CSRF check,
/// which reads a form body before the route does, use the same number (the CSRF check once read at most
/// 1 MiB, so an inventory upload the route allowed up to 10 MB failed with 413 above 1 MiB).
enum BodyLimits {
    /// Any web form without a limit of its own (`app.routes.defaultMaxBodySize`).
    static let form = 2 << 20
    /// The web inventory import (an Ansible or CSV file), as the API's `importInventory`.
    static let inventoryImport = 10 << 20
    /// Where a route records its limit (`Route.userInfo`).
    static let routeKey = "pcm.maxBody"

    /// The limit of the route `request` goes to.
    static func of(_ request: Request) -> Int {
        request.route?.userInfo[routeKey] as? Int ?? request.application.routes.defaultMaxBodySize.value
    }

    /// "10 MiB", for pages and messages.
    static func describe(_ bytes: Int) -> String { "\(bytes >> 20) MiB" }
}

extension RoutesBuilder {
    /// A POST route that collects its body up to `limit` and records the limit for the CSRF check.
    @discardableResult
    func post(
        _ path: PathComponent..., maxBody limit: Int,
        use closure: @escaping @Sendable (Request) async throws -> Response
    ) -> Route {
        let route = on(.POST, path, body: .collect(maxSize: ByteCount(value: limit)), use: closure)
        route.userInfo[BodyLimits.routeKey] = limit
        return route
    }
}
