import Foundation
import Logging

/// One line per event on standard error, in swift-log's `StreamLogHandler` layout
/// (`2026-12-06T19:31:38+0000 info label: key=value message`), with every control character of the message,
/// the metadata keys and values and the label escaped (`\n`, `\r`, `\t`, `\u{1B}`…).
///
/// Logged values come from outside (a login name, a target name, an error text), and a raw newline in one
/// would forge a second line in the log; a terminal escape would rewrite the screen of whoever reads it.
public struct TextLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let sink: @Sendable (String) -> Void

    public init(
        label: String, level: Logger.Level, sink: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError
    ) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.sorted { $0.key < $1.key }.map {
            LogEscaping.escaped($0.key) + "=" + LogEscaping.escaped(Self.flat($0.value))
        }
        var line = Self.timestamp() + " " + event.level.rawValue + " " + LogEscaping.escaped(label) + ":"
        if !fields.isEmpty { line += " " + fields.joined(separator: " ") }
        line += " " + LogEscaping.escaped(event.message.description)
        sink(line)
    }

    private static func flat(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): "[" + values.map(flat).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            "[" + dictionary.sorted { $0.key < $1.key }.map { "\($0.key): \(flat($0.value))" }.joined(separator: ", ")
                + "]"
        }
    }

    private static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
    }
}

/// Escapes for text that goes into a log line or onto a terminal.
public enum LogEscaping {
    /// `text` with every control character (C0, DEL, C1) and the Unicode line and paragraph separators written
    /// as an escape: `\n`, `\r`, `\t`, `\\` for a backslash that precedes one, else `\u{XX}`. Printable text,
    /// including non-ASCII letters, is unchanged.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where needsEscape(scalar): result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
            || scalar.value == 0x2029
    }
}
