import Plot
import Vapor

/// `/`: the dashboard; `/dashboard/live`, the part of it that refreshes while runs are active; and the
/// "Getting started" list dismissed or shown again.
enum DashboardController {
    struct GettingStartedForm: Content {
        var state: String?
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        let model = try await load(request)
        return DashboardView.render(
            model, toolCount: request.services.catalog.catalog.tools.count,
            context: try await request.pageContext(.dashboard)
        ).response()
    }

    /// The running runs and recent failures as an HTML fragment (no page around it; the flash message waits for
    /// the next whole page).
    @Sendable static func live(_ request: Request) async throws -> Response {
        let model = try await load(request)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/html; charset=utf-8")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: DashboardView.live(model).render()))
    }

    /// `state=dismissed` hides "Getting started" for this user; `state=shown` brings it back.
    @Sendable static func gettingStarted(_ request: Request) async throws -> Response {
        let principal = try request.requirePrincipal()
        let form = try request.content.decode(GettingStartedForm.self)
        try await request.userSettings.set(
            .gettingStarted, to: form.state ?? "", user: principal.userID, username: principal.username,
            actor: request.auditActor)
        let message = form.state == "dismissed" ? "“Getting started” dismissed." : "“Getting started” is back."
        return try await request.redirect(to: SitePath.dashboard, flash: Flash(.success, message))
    }

    private static func load(_ request: Request) async throws -> DashboardModel {
        try await DashboardModel.load(
            on: request.db, now: request.services.clock.now(), forAdmin: request.principal?.role == .admin,
            user: request.principal?.userID)
    }
}
