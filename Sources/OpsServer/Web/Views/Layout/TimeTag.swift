import Foundation
import Plot

/// A moment on a page: `<time datetime="2026-12-07T08:53:30Z" title="2026-12-07 08:53:30 UTC">3 min ago</time>`.
/// The page works without JavaScript (relative to when it was drawn, exact UTC on hover); `app.js` then keeps the
/// relative text current and puts the exact time in the reader's own time zone in the title. APIs stay UTC.
enum TimeTag {
    static func node<Context>(_ date: Date?, now: Date = Date(), empty: String = "—") -> Node<Context> {
        guard let date else { return .text(empty) }
        return .element(
            named: "time",
            nodes: [
                .attribute(.datetime, iso(date)), .attribute(.class, "rel"),
                .attribute(.title, RunBadge.time(date) + " UTC"),
                .text(relative(date, now: now)),
            ])
    }

    /// `2026-12-07T08:53:30Z` (what `datetime` holds and scripts parse).
    static func iso(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
                .timeZone(separator: .omitted))
    }

    /// "just now", "45 s ago", "3 min ago", "2 h ago", "yesterday", "5 days ago", then the date; "in 3 min" ahead.
    /// The same words as `app.js` (relativeText), so nothing jumps when the script takes over.
    static func relative(_ date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        let ahead = seconds < 0
        let span = abs(seconds)
        func phrase(_ text: String) -> String { ahead ? "in " + text : text + " ago" }
        switch span {
        case ..<10: return "just now"
        case ..<60: return phrase("\(Int(span)) s")
        case ..<3600: return phrase("\(Int(span / 60)) min")
        case ..<86_400: return phrase("\(Int(span / 3600)) h")
        case ..<172_800: return ahead ? "tomorrow" : "yesterday"
        case ..<(30 * 86_400): return phrase("\(Int(span / 86_400)) days")
        default: return String(RunBadge.time(date).prefix(10))
        }
    }
}
