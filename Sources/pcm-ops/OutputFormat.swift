import ArgumentParser
import Foundation

/// Table and JSON output for list commands.
enum OutputFormat {
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func table(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        for row in all {
            print(
                row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }

    static func date(_ date: Date?) -> String {
        guard let date else { return "-" }
        return date.formatted(.iso8601)
    }
}

/// `--output table|json` for list commands.
struct OutputOptions: ParsableArguments {
    @ArgumentParser.Option(help: "table or json.") var output = "table"

    func validate() throws {
        guard ["table", "json"].contains(output) else {
            throw ValidationError("invalid --output '\(output)': use table or json")
        }
    }

    var isJSON: Bool { output == "json" }

    /// Prints `value` as JSON, or the table made of `header` and `rows`.
    func emit<T: Encodable>(_ value: T, _ header: [String], _ rows: @autoclosure () -> [[String]]) throws {
        if isJSON {
            print(try OutputFormat.json(value))
        } else {
            OutputFormat.table(header, rows())
        }
    }
}
