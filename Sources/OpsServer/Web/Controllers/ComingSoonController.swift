import Vapor

/// Sections announced in the navigation whose features arrive with later work.
enum ComingSoonController {
    static let sections: [Section] = [.changes]

    static func show(_ request: Request, section: Section) async throws -> Response {
        ComingSoonView.render(section, context: try await request.pageContext(section)).response()
    }
}
