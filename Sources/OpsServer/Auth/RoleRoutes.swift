import OpsCore
import Vapor

/// A routes builder whose routes require `role`: it puts ``RequireRole`` in front of them and records
/// the role on each route (`userInfo`), so tests can check every route against the role it claims.
struct RoleRoutes: RoutesBuilder {
    static let key = AnySendableHashable("pcmops.role")

    let base: any RoutesBuilder
    let role: Role

    init(_ app: any RoutesBuilder, role: Role) {
        self.base = app.grouped(RequireRole(role: role))
        self.role = role
    }

    func add(_ route: Route) {
        route.userInfo[Self.key] = role
        base.add(route)
    }
}

extension Route {
    /// The role recorded by ``RoleRoutes``; nil for public routes.
    var requiredRole: Role? { userInfo[RoleRoutes.key] as? Role }
}
