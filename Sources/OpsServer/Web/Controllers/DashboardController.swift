import Vapor

/// `/`: the dashboard.
enum DashboardController {
    @Sendable static func show(_ request: Request) async throws -> Response {
        let isAdmin = request.principal?.role == .admin
        let model = try await DashboardModel.load(
            on: request.db, now: request.services.clock.now(), includeRecent: isAdmin)
        return DashboardView.render(
            model, toolCount: request.services.catalog.catalog.tools.count,
            context: try await request.pageContext(.dashboard)
        ).response()
    }
}
