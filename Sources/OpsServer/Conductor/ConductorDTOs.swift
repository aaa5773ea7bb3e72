import Foundation

/// A conversation in the history list (`GET /api/v1/conductor/conversations`), and the answer to creating one.
public struct ConversationSummaryDTO: Sendable, Codable, Hashable {
    public var id: String
    public var title: String
    /// Plans were shown and wait for "yes" or "no".
    public var awaitingConfirmation: Bool
    public var createdAt: Date?
    public var updatedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, title
        case awaitingConfirmation = "awaiting_confirmation"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// One turn of a conversation's history.
public struct ConversationMessageDTO: Sendable, Codable, Hashable {
    public var id: String
    public var seq: Int
    /// user | assistant
    public var role: String
    public var text: String
    /// The assistant's answer; null for the user's messages.
    public var answer: ConductorReply?
    public var runID: String?
    public var createdAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, seq, role, text, answer
        case runID = "run_id"
        case createdAt = "created_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(seq, forKey: .seq)
        try container.encode(role, forKey: .role)
        try container.encode(text, forKey: .text)
        try container.encode(answer, forKey: .answer)
        try container.encode(runID, forKey: .runID)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
    }
}

/// A conversation with its history (`GET /api/v1/conductor/conversations/{id}`).
public struct ConversationDTO: Sendable, Codable, Hashable {
    public var id: String
    public var title: String
    public var awaitingConfirmation: Bool
    public var createdAt: Date?
    public var updatedAt: Date?
    public var messages: [ConversationMessageDTO]

    enum CodingKeys: String, CodingKey {
        case id, title, messages
        case awaitingConfirmation = "awaiting_confirmation"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
