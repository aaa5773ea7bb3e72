import Foundation
import OpenAPIRuntime
import Vapor

/// `/api/v1/conductor`: everyone plans and keeps conversations of their own; "yes" launches for operators and up.
extension APIHandler {
    func planConductor(_ input: Operations.PlanConductor.Input) async throws -> Operations.PlanConductor.Output {
        guard case .json(let body) = input.body else { throw Abort(.unsupportedMediaType) }
        return .ok(.init(body: .json(try await request.conductorService.plan(body.text))))
    }

    func listConversations(_ input: Operations.ListConversations.Input) async throws
        -> Operations.ListConversations.Output
    {
        let request = try request
        return .ok(.init(body: .json(try await request.conductorService.list(for: request.conductorRequester()))))
    }

    func createConversation(_ input: Operations.CreateConversation.Input) async throws
        -> Operations.CreateConversation.Output
    {
        let request = try request
        return .created(
            .init(body: .json(try await request.conductorService.create(for: request.conductorRequester()))))
    }

    func getConversation(_ input: Operations.GetConversation.Input) async throws -> Operations.GetConversation.Output {
        let request = try request
        let id = try Self.conversationID(input.path.id)
        return .ok(.init(body: .json(try await request.conductorService.show(id, for: request.conductorRequester()))))
    }

    func deleteConversation(_ input: Operations.DeleteConversation.Input) async throws
        -> Operations.DeleteConversation.Output
    {
        let request = try request
        let id = try Self.conversationID(input.path.id)
        try await request.conductorService.delete(id, for: request.conductorRequester())
        return .noContent(.init())
    }

    func postConversationMessage(_ input: Operations.PostConversationMessage.Input) async throws
        -> Operations.PostConversationMessage.Output
    {
        guard case .json(let body) = input.body else { throw Abort(.unsupportedMediaType) }
        let request = try request
        let id = try Self.conversationID(input.path.id)
        let reply = try await request.conductorService.reply(
            to: id, text: body.text, by: request.conductorRequester())
        return .ok(.init(body: .json(reply)))
    }

    /// A conversation id is a UUID; anything else is a 400 naming it.
    static func conversationID(_ text: String) throws -> String {
        guard UUID(uuidString: text) != nil else {
            throw Abort(.badRequest, reason: "id: not a conversation id (UUID), got '\(text.prefix(100))'")
        }
        return text
    }
}

extension Request {
    /// Conductor for this request.
    var conductorService: ConductorService {
        ConductorService(database: db, services: services, logger: logger, runs: runService)
    }

    /// The signed-in user as Conductor sees them: whose conversations, which role, the audit actor.
    func conductorRequester() throws -> ConductorService.Requester {
        let principal = try requirePrincipal()
        return ConductorService.Requester(userID: principal.userID, role: principal.role, actor: auditActor)
    }
}
