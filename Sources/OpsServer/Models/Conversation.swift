import Fluent
import Foundation

/// A Conductor chat: one user's, with what the planner remembers between turns.
public final class Conversation: Model, @unchecked Sendable {
    public static let schema = "conversations"

    @ID(key: .id) public var id: UUID?
    @Field(key: "owner_id") public var ownerID: UUID
    /// The first request, shortened: what the history list shows.
    @Field(key: "title") public var title: String
    /// The planner's `ConversationState` as JSON.
    @Field(key: "state") public var stateJSON: String
    @Timestamp(key: "created_at", on: .none) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .none) public var updatedAt: Date?

    public init() {}
}

/// One turn of a conversation: what the user typed, or the assistant's answer.
public final class ConversationMessage: Model, @unchecked Sendable {
    public static let schema = "messages"

    @ID(key: .id) public var id: UUID?
    @Field(key: "conversation_id") public var conversationID: UUID
    /// 1, 2, 3… per conversation.
    @Field(key: "seq") public var seq: Int
    /// user | assistant
    @Field(key: "role") public var role: String
    @Field(key: "text") public var text: String
    /// The assistant's answer (``ConductorReply``) as JSON; nil for the user's messages.
    @OptionalField(key: "answer") public var answerJSON: String?
    /// The run this answer launched (the first, when plans for several platforms launched several).
    @OptionalField(key: "run_id") public var runID: String?
    @Timestamp(key: "created_at", on: .none) public var createdAt: Date?

    public init() {}
}

/// The link from a run to the Conductor conversation whose "yes" launched it: `runs.conversation_id`, apart from
/// ``Run`` so that migrations which read runs through the model keep working on databases that predate the column.
public final class RunConversationLink: Model, @unchecked Sendable {
    public static let schema = "runs"

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "conversation_id") public var conversationID: UUID?

    public init() {}
}
