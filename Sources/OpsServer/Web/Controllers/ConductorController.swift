import Fluent
import Foundation
import Vapor

/// `/conductor`: the chat page. Every form posts here and comes back to the conversation (post, redirect, get).
enum ConductorController {
    struct MessageForm: Content {
        var conversation: String?
        var text: String?
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        let service = request.conductorService
        let requester = try request.conductorRequester()
        let conversations = try await service.list(for: requester)
        var selected: ConversationDTO?
        if let id = request.query[String.self, at: "c"] {
            selected = try await service.show(id, for: requester)
        }
        let model = try await ConductorPageModel(
            conversations: conversations, selected: selected, osByTarget: osByTarget(request.db),
            runs: runCards(selected, service: request.runService), canLaunch: requester.role.allows(.operator))
        return ConductorView.render(model, context: try await request.pageContext(.conductor)).response()
    }

    /// A message (typed, or a Confirm, Cancel or choice button): to the conversation named, or a new one. What
    /// Conductor refuses comes back as a message on the page; an unknown conversation is a 404.
    @Sendable static func message(_ request: Request) async throws -> Response {
        let form = try request.content.decode(MessageForm.self)
        let service = request.conductorService
        let requester = try request.conductorRequester()
        let text = form.text ?? ""
        var back = SitePath.conductor
        do {
            let id: String
            if let given = form.conversation, !given.isEmpty {
                guard UUID(uuidString: given) != nil else { throw ConductorError.conversationNotFound(given) }
                id = given
            } else {
                _ = try ConductorText.validate(text)
                id = try await service.create(for: requester).id
            }
            back = SitePath.conductorConversation(id)
            let reply = try await service.reply(to: id, text: text, by: requester)
            if let run = reply.runID {
                return try await request.redirect(to: back + "#chat", flash: Flash(.success, "Launched run \(run)."))
            }
            return request.redirect(to: back + "#chat", redirectType: .normal)
        } catch let error as ConductorError {
            if case .conversationNotFound = error { throw error }
            return try await request.redirect(to: back, flash: Flash(.error, error.description))
        }
    }

    @Sendable static func delete(_ request: Request) async throws -> Response {
        let id = try request.parameter("id")
        try await request.conductorService.delete(id, for: try request.conductorRequester())
        return try await request.redirect(to: SitePath.conductor, flash: Flash(.success, "Conversation cleared."))
    }

    private static func osByTarget(_ database: any Database) async throws -> [String: String] {
        let rows = try await Target.query(on: database).field(\.$name).field(\.$os).all()
        return Dictionary(rows.map { ($0.name, $0.os) }) { first, _ in first }
    }

    private static func runCards(_ conversation: ConversationDTO?, service: RunService) async throws
        -> [String: ConductorPageModel.RunCard]
    {
        var cards = [String: ConductorPageModel.RunCard]()
        for message in conversation?.messages ?? [] {
            for id in message.answer?.runIDs ?? [] {
                guard let run = try? await service.show(id) else { continue }
                cards[id] = ConductorPageModel.RunCard(
                    id: id, reference: run.reference, status: run.status, targetCount: run.targetCount,
                    steps: run.steps.map(\.action), startedAt: run.startedAt, finishedAt: run.finishedAt)
            }
        }
        return cards
    }
}
