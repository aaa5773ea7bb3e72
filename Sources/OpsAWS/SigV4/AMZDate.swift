import Foundation

/// A signing instant in the two forms SigV4 uses: `20150830T123600Z` (`X-Amz-Date`, string to sign) and
/// `20150830` (credential scope). Always UTC, whole seconds (fractions are dropped, not rounded).
///
/// Computed arithmetically rather than with `DateFormatter`, whose locale and calendar settings are a classic
/// source of wrong signatures.
public struct AMZDate: Sendable, Equatable, CustomStringConvertible {
    /// `yyyyMMdd'T'HHmmss'Z'`.
    public let dateTime: String

    /// `yyyyMMdd`, the first eight characters of `dateTime`.
    public var date: String { String(dateTime.prefix(8)) }

    /// The instant as SigV4 writes it.
    public var description: String { dateTime }

    /// The UTC rendering of `instant`.
    public init(_ instant: Date) {
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (dayNumber, second) = secondOfDay < 0 ? (days - 1, secondOfDay + 86_400) : (days, secondOfDay)
        let (year, month, day) = Self.civilDate(daysSinceEpoch: dayNumber)
        dateTime =
            Self.pad(year, 4) + Self.pad(month, 2) + Self.pad(day, 2) + "T" + Self.pad(second / 3600, 2)
            + Self.pad(second % 3600 / 60, 2) + Self.pad(second % 60, 2) + "Z"
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
