import Foundation

/// Chooses targets by their tags, for dynamic target groups: `env=prod,role!=db,canary`.
///
/// Terms are separated by `,` and must all hold (AND). `key=value` needs the tag with that value,
/// `key!=value` needs the tag to be absent or to have another value, and a bare `key` needs the tag
/// with any value. Keys are compared lower-cased, values exactly.
public struct TagSelector: Sendable, Hashable, CustomStringConvertible {
    /// One condition of a selector.
    public enum Term: Sendable, Hashable, CustomStringConvertible {
        /// The tag `key` exists and equals `value`.
        case equals(key: String, value: String)
        /// The tag `key` is missing or differs from `value`.
        case notEquals(key: String, value: String)
        /// The tag `key` exists, whatever its value.
        case exists(key: String)

        /// The term as written in a selector.
        public var description: String {
            switch self {
            case .equals(let key, let value): "\(key)=\(value)"
            case .notEquals(let key, let value): "\(key)!=\(value)"
            case .exists(let key): key
            }
        }

        func matches(_ tags: [String: String]) -> Bool {
            switch self {
            case .equals(let key, let value): tags[key] == value
            case .notEquals(let key, let value): tags[key] != value
            case .exists(let key): tags[key] != nil
            }
        }
    }

    /// The conditions, all of which must hold.
    public let terms: [Term]

    /// Parses a selector; an empty selector is refused because it would silently match every target.
    public init(parsing text: String) throws(InventoryError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw .invalidSelector(term: text, reason: "a selector needs at least one term, such as env=prod")
        }
        var terms: [Term] = []
        for raw in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            terms.append(try Self.parseTerm(raw.trimmingCharacters(in: .whitespaces)))
        }
        self.terms = terms
    }

    /// Whether every term holds for `tags` (keys of `tags` are compared lower-cased).
    public func matches(_ tags: [String: String]) -> Bool {
        var lowered: [String: String] = [:]
        for (key, value) in tags { lowered[key.lowercased()] = value }
        return terms.allSatisfy { $0.matches(lowered) }
    }

    /// Whether every term holds for `tags`.
    public func matches(_ tags: Tags) -> Bool { matches(tags.dictionary) }

    /// The terms joined by `,`; parses back to an equal selector.
    public var description: String { terms.map(\.description).joined(separator: ",") }

    private static func parseTerm(_ term: String) throws(InventoryError) -> Term {
        func fail(_ reason: String) -> InventoryError { .invalidSelector(term: term, reason: reason) }
        guard !term.isEmpty else { throw fail("empty term (check for a doubled or trailing ',')") }
        do throws(InventoryError) {
            if let range = term.range(of: "!=") {
                let key = try Tags.validateKey(String(term[..<range.lowerBound]), pair: term)
                let value = try Tags.validateValue(String(term[range.upperBound...]), pair: term)
                return .notEquals(key: key, value: value)
            }
            if let index = term.firstIndex(of: "=") {
                let key = try Tags.validateKey(String(term[..<index]), pair: term)
                let value = try Tags.validateValue(String(term[term.index(after: index)...]), pair: term)
                return .equals(key: key, value: value)
            }
            return .exists(key: try Tags.validateKey(term, pair: term))
        } catch {
            guard case .invalidTag(_, let reason) = error else { throw error }
            throw fail(reason)
        }
    }
}
