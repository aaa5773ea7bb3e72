import Foundation
import OpsCore
import Vapor

/// The body of `POST /api/v1/runs` (DESIGN.md §10). Unknown fields are refused: a misspelt
/// `paramters` must not run with defaults.
struct RunCreateBody: Decodable, Hashable, Sendable {
    var tool: String
    var action: String?
    var workflow: String?
    var targets: [String]?
    var groups: [String]?
    var selector: String?
    var parameters: [String: String]?
    var maxConcurrency: String?
    var maxErrors: String?
    var dryRun: Bool?
    var confirm: Bool?
    var change: String?
    var rerunOf: String?

    static let fields: Set<String> = [
        "tool", "action", "workflow", "targets", "groups", "selector", "parameters", "max_concurrency", "max_errors",
        "dry_run", "confirm", "change", "rerun_of",
    ]

    enum CodingKeys: String, CodingKey {
        case tool, action, workflow, targets, groups, selector, parameters, confirm, change
        case maxConcurrency = "max_concurrency"
        case maxErrors = "max_errors"
        case dryRun = "dry_run"
        case rerunOf = "rerun_of"
    }

    /// Any JSON object key, to find the ones that are not fields.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        if let unknown = keys.sorted().first(where: { !Self.fields.contains($0) }) {
            throw RunError.invalid(
                field: unknown, message: "unknown field; fields: \(Self.fields.sorted().joined(separator: ", "))")
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tool = try container.decode(String.self, forKey: .tool)
        action = try container.decodeIfPresent(String.self, forKey: .action)
        workflow = try container.decodeIfPresent(String.self, forKey: .workflow)
        targets = try container.decodeIfPresent([String].self, forKey: .targets)
        groups = try container.decodeIfPresent([String].self, forKey: .groups)
        selector = try container.decodeIfPresent(String.self, forKey: .selector)
        parameters = try Self.parameters(container)
        maxConcurrency = try Self.limit(container, .maxConcurrency)
        maxErrors = try Self.limit(container, .maxErrors)
        dryRun = try container.decodeIfPresent(Bool.self, forKey: .dryRun)
        confirm = try container.decodeIfPresent(Bool.self, forKey: .confirm)
        change = try container.decodeIfPresent(String.self, forKey: .change)
        rerunOf = try container.decodeIfPresent(String.self, forKey: .rerunOf)
    }

    /// Parameter values as strings; numbers and booleans are accepted and written as text.
    static func parameters(_ container: KeyedDecodingContainer<CodingKeys>) throws -> [String: String]? {
        guard let raw = try container.decodeIfPresent([String: JSONValue].self, forKey: .parameters) else { return nil }
        var result = [String: String]()
        for (name, value) in raw {
            switch value {
            case .string(let text): result[name] = text
            case .int(let number): result[name] = String(number)
            case .bool(let flag): result[name] = String(flag)
            default: throw RunError.invalid(field: "parameters.\(name)", message: "must be a string, number or boolean")
            }
        }
        return result
    }

    /// `50`, `"50"` or `"10%"`.
    static func limit(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String? {
        if let number = try? container.decodeIfPresent(Int.self, forKey: key) { return String(number) }
        if let text = try? container.decodeIfPresent(String.self, forKey: key) { return text }
        let isNull = try container.contains(key) ? container.decodeNil(forKey: key) : true
        guard isNull else {
            throw RunError.invalid(field: key.rawValue, message: "must be a number or a string like \"10%\"")
        }
        return nil
    }

    func runRequest() throws -> RunRequest {
        var request = RunRequest(tool: tool, action: action, workflow: workflow)
        request.targets = targets ?? []
        request.groups = groups ?? []
        request.selector = selector
        request.parameters = parameters ?? [:]
        request.maxConcurrency = maxConcurrency
        request.maxErrors = maxErrors
        request.dryRun = dryRun ?? false
        request.confirm = confirm ?? false
        request.change = change
        request.rerunOf = rerunOf
        return request
    }
}

/// Filters of the run history (`/runs` and `GET /api/v1/runs`).
struct RunListFilter: Sendable {
    var status: String?
    var tool: String?
    var user: String?
    var target: String?
    var since: Date?
    var until: Date?
    var limit = 50
    var cursor: RunCursor?
    /// The page of runs just newer than this one (the run list's "Newer" link; the web page only).
    var newer: RunCursor?

    init() {}

    init(_ values: QueryValues) throws {
        func text(_ name: String) -> String? {
            values[name].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        }
        status = text("status")
        if let status, RunStatus(rawValue: status) == nil {
            throw RunError.invalid(
                field: "status", message: "must be one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        tool = text("tool")
        user = text("user")
        target = text("target")
        since = try text("since").map { try Self.date($0, field: "since") }
        until = try text("until").map { try Self.date($0, field: "until") }
        if let value = text("limit") {
            guard let number = Int(value), (1...500).contains(number) else {
                throw RunError.invalid(field: "limit", message: "must be 1 to 500")
            }
            limit = number
        }
        if let value = text("cursor") {
            guard let cursor = RunCursor(value) else {
                throw RunError.invalid(field: "cursor", message: "is not valid")
            }
            self.cursor = cursor
        }
    }

    /// RFC 3339 date-time or a plain date (`2026-11-22`, UTC midnight). RFC 3339 §5.6 lets the `T` and
    /// `Z` be lower case and the `T` a space, and the seconds have a fraction: openapi.yaml's pattern
    /// allows all of that, so the parser does too.
    static func date(_ text: String, field: String) throws -> Date {
        var normal = text.uppercased()
        if normal.count > 10, normal.dropFirst(10).first == " " {
            normal = normal.prefix(10) + "T" + normal.dropFirst(11)
        }
        // Foundation refuses offsets past ±18:00, which RFC 3339 allows (up to ±23:59): the offset is
        // applied here, to the time read as UTC.
        var offset = 0
        if normal.count > 19, let sign = normal.dropLast(5).last, sign == "+" || sign == "-",
            normal.suffix(3).first == ":", let hours = Int(normal.suffix(5).prefix(2)),
            let minutes = Int(normal.suffix(2))
        {
            offset = (sign == "+" ? 1 : -1) * (hours * 3600 + minutes * 60)
            normal = normal.dropLast(6) + "Z"
        }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        for candidate in [normal, normal + "T00:00:00Z"] {
            if let date = try? Date(candidate, strategy: .iso8601) { return date - TimeInterval(offset) }
            if let date = try? Date(candidate, strategy: fractional) { return date - TimeInterval(offset) }
        }
        throw RunError.invalid(
            field: field, message: "must be a date (2026-11-22) or date-time (RFC 3339), got '\(text)'")
    }
}

/// Where the next page of the history starts: after the run with this id (newest first).
struct RunCursor: Sendable, Equatable {
    var publicID: String

    init(publicID: String) {
        self.publicID = publicID
    }

    init?(_ text: String) {
        // openapi.yaml's pattern for `cursor`: a run id.
        guard text.hasPrefix("r-"), text.count == 12,
            text.dropFirst(2).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return nil }
        publicID = text
    }
}

/// One page of the history.
struct RunPageDTO: Content, Hashable {
    var runs: [RunDTO]
    var nextCursor: String?
    /// Where the page of newer runs starts (the web page's "Newer" link); not part of the API's answer.
    var newerCursor: String? = nil

    enum CodingKeys: String, CodingKey {
        case runs
        case nextCursor = "next_cursor"
    }

    /// `next_cursor` is always present: null on the last page.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runs, forKey: .runs)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

extension RunDTO: Content {}
extension ExecutionDTO: Content {}
extension DryRunReport: Content {}
