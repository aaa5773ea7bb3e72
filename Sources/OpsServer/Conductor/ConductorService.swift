import Fluent
import Foundation
import Logging
import OpsConductor
import OpsCore

/// Conductor's server side (issue 19): plans a request against the loaded catalog and a snapshot of the inventory,
/// keeps conversations and their messages, and launches a confirmed plan exactly as the run form would, the
/// chat's "yes" standing for the destructive confirmation. The requester's role decides what may launch.
public struct ConductorService: Sendable {
    /// Who is talking to Conductor.
    public struct Requester: Sendable {
        public var userID: UUID
        public var role: Role
        public var actor: AccountService.Actor

        public init(userID: UUID, role: Role, actor: AccountService.Actor) {
            self.userID = userID
            self.role = role
            self.actor = actor
        }
    }

    let database: any Database
    let services: AppServices
    let logger: Logger
    let runs: RunService

    public init(database: any Database, services: AppServices, logger: Logger, runs: RunService) {
        self.database = database
        self.services = services
        self.logger = logger
        self.runs = runs
    }

    var planner: any ConductorPlanner { services.conductor }

    var audit: AuditLog {
        AuditLog(database: database, now: { [clock = services.clock] in clock.now() }, logger: logger)
    }

    /// One request, no conversation: nothing is stored and nothing launches.
    public func plan(_ text: String) async throws -> ConductorReply {
        let text = try ConductorText.validate(text)
        let inventory = try await ConductorInventorySnapshot.load(on: database)
        let (answer, _) = await planner.answer(
            text, state: nil, catalog: services.catalog.catalog, inventory: inventory)
        return ConductorReply(answer)
    }

    // MARK: conversations

    public func create(for requester: Requester) async throws -> ConversationSummaryDTO {
        let conversation = Conversation()
        conversation.id = UUID()
        conversation.ownerID = requester.userID
        conversation.title = ""
        conversation.stateJSON = try Self.encode(ConversationState())
        conversation.createdAt = services.clock.now()
        conversation.updatedAt = conversation.createdAt
        try await conversation.create(on: database)
        return Self.summary(conversation)
    }

    /// The requester's own conversations, most recently used first.
    public func list(for requester: Requester, limit: Int = 200) async throws -> [ConversationSummaryDTO] {
        try await Conversation.query(on: database).filter(\.$ownerID == requester.userID)
            .sort(\.$updatedAt, .descending).sort(\.$createdAt, .descending).limit(limit).all()
            .map(Self.summary)
    }

    /// One of the requester's conversations with its history; someone else's is not found.
    public func show(_ id: String, for requester: Requester) async throws -> ConversationDTO {
        let conversation = try await require(id, for: requester)
        let messages = try await ConversationMessage.query(on: database)
            .filter(\.$conversationID == conversation.requireID()).sort(\.$seq).all()
        let summary = Self.summary(conversation)
        return ConversationDTO(
            id: summary.id, title: summary.title, awaitingConfirmation: summary.awaitingConfirmation,
            createdAt: summary.createdAt, updatedAt: summary.updatedAt, messages: messages.map(Self.message))
    }

    /// Clears a conversation and its messages; runs it launched stay (they keep their history).
    public func delete(_ id: String, for requester: Requester) async throws {
        let conversation = try await require(id, for: requester)
        let key = try conversation.requireID()
        try await database.transaction { database in
            try await ConversationMessage.query(on: database).filter(\.$conversationID == key).delete()
            try await conversation.delete(on: database)
        }
        try await audit.record(
            "conductor.conversation.delete", actor: requester.actor.name, object: "conversation:\(key)",
            source: requester.actor.source, sourceAddress: requester.actor.address)
    }

    /// The assistant's reply to `text` in a conversation: a confirmation of the plans awaiting one ("yes"
    /// launches them when they still hold, else the new plan is shown and asked about again; "no" drops them), or a
    /// new request or follow-up for the planner. One turn at a time per conversation.
    public func reply(to id: String, text: String, by requester: Requester) async throws -> ConductorReply {
        let text = try ConductorText.validate(text)
        let conversation = try await require(id, for: requester)
        let key = try conversation.requireID()
        return try await services.conversationTurns.serialized(key) {
            // Read again inside the turn: the previous turn may have changed the state.
            guard let current = try await Conversation.find(key, on: database) else {
                throw ConductorError.conversationNotFound(id)
            }
            return try await turn(current, text: text, by: requester)
        }
    }

    private func turn(_ conversation: Conversation, text: String, by requester: Requester) async throws
        -> ConductorReply
    {
        let key = try conversation.requireID()
        let state = Self.decodeState(conversation.stateJSON)
        let inventory = try await ConductorInventorySnapshot.load(on: database)
        let decision = await ConductorTurn.decide(
            text, state: state, planner: planner, catalog: services.catalog.catalog, inventory: inventory)
        if case .launch = decision, !requester.role.allows(.operator) {
            // Nothing is stored: the plans keep waiting for someone who may launch them.
            throw ConductorError.launchNotAllowed(role: requester.role)
        }
        let seq = try await nextSeq(key)
        try await store(role: "user", text: text, seq: seq, conversation: key)
        var reply: ConductorReply
        var next = state
        switch decision {
        case .launch(let plans):
            next.awaitingConfirmation = nil
            let launcher = ConductorLauncher(runs: runs, audit: audit)
            let outcome = try await launcher.launch(plans, conversation: key, by: requester.actor)
            reply = ConductorLauncher.reply(outcome, plans: plans)
        case .reply(let answer, let planned):
            reply = answer
            next = planned
        }
        let answerID = UUID()
        reply.messageID = answerID.uuidString.lowercased()
        try await store(
            role: "assistant", text: reply.text, seq: seq + 1, conversation: key, id: answerID, answer: reply)
        conversation.stateJSON = try Self.encode(next)
        if conversation.title.isEmpty { conversation.title = Self.title(text) }
        conversation.updatedAt = services.clock.now()
        try await conversation.update(on: database)
        return reply
    }

    // MARK: storage

    func require(_ id: String, for requester: Requester) async throws -> Conversation {
        guard let key = UUID(uuidString: id),
            let conversation = try await Conversation.query(on: database).filter(\.$id == key)
                .filter(\.$ownerID == requester.userID).first()
        else { throw ConductorError.conversationNotFound(id) }
        return conversation
    }

    private func nextSeq(_ conversation: UUID) async throws -> Int {
        let last = try await ConversationMessage.query(on: database).filter(\.$conversationID == conversation)
            .max(\.$seq)
        return (last ?? 0) + 1
    }

    private func store(
        role: String, text: String, seq: Int, conversation: UUID, id: UUID = UUID(), answer: ConductorReply? = nil
    ) async throws {
        let message = ConversationMessage()
        message.id = id
        message.conversationID = conversation
        message.seq = seq
        message.role = role
        message.text = text
        message.answerJSON = try answer.map(Self.encode)
        message.runID = answer?.runID
        message.createdAt = services.clock.now()
        do {
            try await message.create(on: database)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw ConductorError.conversationBusy(conversation.uuidString.lowercased())
        }
    }

    static func title(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count <= 80 ? trimmed : String(trimmed.prefix(79)) + "…"
    }

    static func summary(_ conversation: Conversation) -> ConversationSummaryDTO {
        ConversationSummaryDTO(
            id: conversation.id?.uuidString.lowercased() ?? "", title: conversation.title,
            awaitingConfirmation: !(decodeState(conversation.stateJSON).awaitingConfirmation?.isEmpty ?? true),
            createdAt: conversation.createdAt, updatedAt: conversation.updatedAt)
    }

    static func message(_ message: ConversationMessage) -> ConversationMessageDTO {
        ConversationMessageDTO(
            id: message.id?.uuidString.lowercased() ?? "", seq: message.seq, role: message.role, text: message.text,
            answer: message.answerJSON.flatMap { try? JSONDecoder().decode(ConductorReply.self, from: Data($0.utf8)) },
            runID: message.runID, createdAt: message.createdAt)
    }

    static func decodeState(_ text: String) -> ConversationState {
        (try? JSONDecoder().decode(ConversationState.self, from: Data(text.utf8))) ?? ConversationState()
    }

    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
