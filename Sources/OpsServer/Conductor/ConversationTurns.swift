import Foundation

/// One turn at a time per conversation in this process: a double-clicked Confirm, or two tabs answering "yes" at
/// once, must not launch a plan twice. (Across processes the `messages` table's unique (conversation, seq) refuses
/// the second turn.) Waiters are resumed one by one, each exactly once.
public actor ConversationTurns {
    private var busy = Set<UUID>()
    private var waiting = [UUID: [CheckedContinuation<Void, Never>]]()

    public init() {}

    /// Runs `body` when no other turn of `conversation` is running.
    public func serialized<T: Sendable>(_ conversation: UUID, _ body: () async throws -> T) async throws -> T {
        await acquire(conversation)
        defer { release(conversation) }
        return try await body()
    }

    private func acquire(_ conversation: UUID) async {
        guard busy.contains(conversation) else {
            busy.insert(conversation)
            return
        }
        await withCheckedContinuation { waiting[conversation, default: []].append($0) }
    }

    /// Hands the turn to the next waiter (the conversation stays busy), or frees it.
    private func release(_ conversation: UUID) {
        guard var queue = waiting[conversation], !queue.isEmpty else {
            busy.remove(conversation)
            return
        }
        let next = queue.removeFirst()
        waiting[conversation] = queue.isEmpty ? nil : queue
        next.resume()
    }
}
