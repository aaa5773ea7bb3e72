import Foundation

/// An ordered set of `key=value` labels on a target, such as `env=prod,role=web`.
///
/// Keys are `[a-z0-9_.-]`, compared and stored lower-cased. Values are non-empty and may not contain
/// `,`, `;` or `=`, so ``description`` always parses back to the same tags. Equality ignores order.
public struct Tags: Sendable, Hashable, CustomStringConvertible {
    /// The keys in the order they were written.
    public private(set) var keys: [String] = []
    /// The tags as a plain dictionary.
    public private(set) var dictionary: [String: String] = [:]

    /// No tags.
    public init() {}

    /// Parses `key=value` pairs separated by `,` or `;`; an empty or blank text means no tags.
    ///
    /// A key given twice is an error rather than a silent overwrite, because the user meant one of them.
    public init(parsing text: String) throws(InventoryError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return }
        for rawPair in trimmed.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "," || $0 == ";" }) {
            let pair = rawPair.trimmingCharacters(in: .whitespaces)
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw .invalidTag(pair: pair, reason: "expected key=value") }
            let key = try Self.validateKey(String(parts[0]), pair: pair)
            let value = try Self.validateValue(String(parts[1]), pair: pair)
            guard dictionary[key] == nil else { throw .invalidTag(pair: pair, reason: "key '\(key)' is given twice") }
            keys.append(key)
            dictionary[key] = value
        }
    }

    /// The value for `key` (any case), or nil.
    public subscript(key: String) -> String? { dictionary[key.lowercased()] }

    /// How many tags there are.
    public var count: Int { keys.count }

    /// Whether there are no tags.
    public var isEmpty: Bool { keys.isEmpty }

    /// `key=value` pairs joined by `,`, in the order they were written.
    public var description: String {
        keys.map { "\($0)=\(dictionary[$0] ?? "")" }.joined(separator: ",")
    }

    /// Equal when they hold the same pairs, in any order.
    public static func == (lhs: Tags, rhs: Tags) -> Bool { lhs.dictionary == rhs.dictionary }

    /// Hashes the pairs, ignoring order, to agree with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(dictionary) }

    /// Lower-cases and checks a key; `pair` is what the error quotes.
    static func validateKey(_ raw: String, pair: String) throws(InventoryError) -> String {
        let key = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard !key.isEmpty else { throw .invalidTag(pair: pair, reason: "the key is empty") }
        guard key.unicodeScalars.allSatisfy(isKeyScalar) else {
            throw .invalidTag(pair: pair, reason: "keys may contain only letters, digits, '_', '.' and '-'")
        }
        return key
    }

    /// Trims and checks a value; `pair` is what the error quotes.
    static func validateValue(_ raw: String, pair: String) throws(InventoryError) -> String {
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw .invalidTag(pair: pair, reason: "the value is empty") }
        guard !value.contains(where: { $0 == "," || $0 == ";" || $0 == "=" }) else {
            throw .invalidTag(pair: pair, reason: "values may not contain ',', ';' or '='")
        }
        return value
    }

    /// Whether `key=value` would be accepted unchanged (after lower-casing the key).
    static func isValid(key: String, value: String) -> Bool {
        (try? validateKey(key, pair: "")) != nil && (try? validateValue(value, pair: "")) != nil
            && value == value.trimmingCharacters(in: .whitespaces)
    }

    private static func isKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        TargetName.isAlphanumeric(scalar) || scalar == "_" || scalar == "." || scalar == "-"
    }
}
