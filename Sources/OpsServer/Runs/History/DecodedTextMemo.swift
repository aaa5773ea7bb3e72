import NIOConcurrencyHelpers

/// Values decoded from a column's JSON text, kept by that text (issue 17.2): a page of 50 runs decoded the same
/// steps and parameters over and over with a `JSONDecoder`. Bounded: past `limit` entries it starts afresh.
/// Only for text that holds no secret (run rows keep parameters as shown, secret ones masked).
final class DecodedTextMemo<Value: Sendable>: Sendable {
    private let entries = NIOLockedValueBox([String: Value]())
    private let limit: Int

    init(limit: Int = 4096) {
        self.limit = limit
    }

    func value(for text: String, decode: (String) -> Value) -> Value {
        if let known = entries.withLockedValue({ $0[text] }) { return known }
        let value = decode(text)
        entries.withLockedValue { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[text] = value
        }
        return value
    }
}
