import Foundation

/// A count or a percentage of the targets: `--max-concurrency 50`, `--max-errors 10%`.
public enum BatchLimit: Sendable, Equatable, CustomStringConvertible {
    case count(Int)
    case percent(Int)

    /// Parses `N` or `N%`; `field` names the option in the error.
    public static func parse(_ text: String, field: String, allowZero: Bool) -> Result<BatchLimit, BatchLimitError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let isPercent = trimmed.hasSuffix("%")
        let digits = isPercent ? String(trimmed.dropLast()) : trimmed
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), digits.count <= 9, let value = Int(digits) else {
            return .failure(
                BatchLimitError(field: field, message: "'\(text)' is not a number or a percentage (N or N%)"))
        }
        if isPercent {
            guard value <= 100, allowZero || value > 0 else {
                return .failure(BatchLimitError(field: field, message: "a percentage must be \(allowZero ? 0 : 1)–100"))
            }
            return .success(.percent(value))
        }
        guard allowZero || value > 0 else {
            return .failure(BatchLimitError(field: field, message: "must be at least 1"))
        }
        return .success(.count(value))
    }

    /// The count for `total` targets. Percentages of concurrency round up (never below 1); percentages
    /// of allowed errors round down (10% of 5 targets allows none).
    public func resolve(total: Int, roundUp: Bool) -> Int {
        switch self {
        case .count(let count): return count
        case .percent(let percent):
            let product = total * percent
            return roundUp ? max(1, (product + 99) / 100) : product / 100
        }
    }

    public var description: String {
        switch self {
        case .count(let count): String(count)
        case .percent(let percent): "\(percent)%"
        }
    }
}

/// A malformed `max_concurrency` or `max_errors`.
public struct BatchLimitError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String
    public var description: String { "\(field): \(message)" }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
