import Foundation
import HTTPTypes
import OpenAPIRuntime
import OpsCore

/// `GET /api/v1/runs` written straight to JSON (issue 17.2). The generic `JSONEncoder` spent more on a page of 50
/// runs (some 3,000 values) than the database did; this writes the same document — same keys, sorted, same
/// values, dates as RFC 3339 in UTC without fractions, `next_cursor` always present — by hand. A test checks it
/// against the `Codable` encoding of the same page.
enum RunListJSON {
    static func page(_ page: RunPageDTO) -> String {
        var out = "{\"next_cursor\":"
        out.reserveCapacity(1024 * (page.runs.count + 1))
        if let cursor = page.nextCursor { string(cursor, into: &out) } else { out += "null" }
        out += ",\"runs\":["
        for (index, run) in page.runs.enumerated() {
            if index > 0 { out += "," }
            self.run(run, into: &out)
        }
        out += "]}"
        return out
    }

    static func run(_ run: RunDTO, into out: inout String) {
        var m = Members(&out)
        m.optional("action", run.action, &out)
        m.optional("change", run.change, &out)
        m.key("counts", &out)
        counts(run.counts, into: &out)
        m.date("created_at", run.createdAt, &out)
        m.date("finished_at", run.finishedAt, &out)
        m.string("id", run.id, &out)
        m.optional("job", run.job, &out)
        if let version = run.jobVersion { m.int("job_version", version, &out) }
        m.string("max_concurrency", run.maxConcurrency, &out)
        m.string("max_errors", run.maxErrors, &out)
        m.optional("note", run.note, &out)
        m.date("output_pruned_at", run.outputPrunedAt, &out)
        m.key("parameters", &out)
        var parameters = Members(&out)
        for key in run.parameters.keys.sorted(by: utf8Order) {
            parameters.string(key, run.parameters[key] ?? "", &out, escapingKey: true)
        }
        out += "}"
        m.string("requested_by", run.requestedBy, &out)
        m.optional("rerun_of", run.rerunOf, &out)
        m.string("source", run.source, &out)
        m.date("started_at", run.startedAt, &out)
        m.string("status", run.status, &out)
        m.key("steps", &out)
        out += "["
        for (index, step) in run.steps.enumerated() {
            if index > 0 { out += "," }
            self.step(step, into: &out)
        }
        out += "]"
        m.int("target_count", run.targetCount, &out)
        m.key("target_counts", &out)
        counts(run.targetCounts, into: &out)
        m.string("tool", run.tool, &out)
        m.optional("workflow", run.workflow, &out)
        out += "}"
    }

    static func step(_ step: RunStepDTO, into out: inout String) {
        var m = Members(&out)
        m.string("action", step.action, &out)
        m.int("cancelled", step.cancelled, &out)
        m.int("failed", step.failed, &out)
        m.int("finished", step.finished, &out)
        m.int("index", step.index, &out)
        m.int("interrupted", step.interrupted, &out)
        m.string("name", step.name, &out)
        m.int("pending", step.pending, &out)
        m.int("running", step.running, &out)
        m.int("skipped", step.skipped, &out)
        m.key("stopped", &out)
        out += "{\"cancelled\":\(step.stopped.cancelled),\"failed\":\(step.stopped.failed)"
        out += ",\"interrupted\":\(step.stopped.interrupted),\"timed_out\":\(step.stopped.timedOut)}"
        m.int("succeeded", step.succeeded, &out)
        m.int("timed_out", step.timedOut, &out)
        out += "}"
    }

    static func counts(_ counts: ExecutionCounts, into out: inout String) {
        out += "{\"cancelled\":\(counts.cancelled),\"failed\":\(counts.failed),\"interrupted\":\(counts.interrupted)"
        out += ",\"pending\":\(counts.pending),\"running\":\(counts.running),\"skipped\":\(counts.skipped)"
        out += ",\"succeeded\":\(counts.succeeded),\"timed_out\":\(counts.timedOut)}"
    }

    /// The members of an object being written (the callers give them sorted; absent optionals are left out). It
    /// opens the object; the caller closes it.
    struct Members {
        var first = true

        init(_ out: inout String) {
            out += "{"
        }

        mutating func key(_ name: String, _ out: inout String, escaping: Bool = false) {
            if !first { out += "," }
            first = false
            if escaping {
                RunListJSON.string(name, into: &out)
            } else {
                out += "\""
                out += name
                out += "\""
            }
            out += ":"
        }

        mutating func string(_ name: String, _ value: String, _ out: inout String, escapingKey: Bool = false) {
            key(name, &out, escaping: escapingKey)
            RunListJSON.string(value, into: &out)
        }

        mutating func optional(_ name: String, _ value: String?, _ out: inout String) {
            if let value { string(name, value, &out) }
        }

        mutating func int(_ name: String, _ value: Int, _ out: inout String) {
            key(name, &out)
            out += String(value)
        }

        mutating func date(_ name: String, _ value: Date?, _ out: inout String) {
            guard let value else { return }
            key(name, &out)
            out += "\""
            out += value.formatted(Date.ISO8601FormatStyle())
            out += "\""
        }
    }

    /// Keys in the order `JSONEncoder`'s `.sortedKeys` puts them.
    static func utf8Order(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// A JSON string: quotes, backslashes and control characters escaped, `/` as it is.
    static func string(_ value: String, into out: inout String) {
        out += "\""
        var plain = true
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            plain = false
            break
        }
        if plain {
            out += value
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                case let control where control.value < 0x20:
                    out +=
                        "\\u" + String(repeating: "0", count: 4 - String(control.value, radix: 16).count)
                        + String(control.value, radix: 16)
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// Answers `listRuns` with ``RunListJSON`` instead of the generic encoder. Its role and query were checked in front
/// of the transport; anything the fast path does not take (a refused filter, a cursor naming no run) goes the
/// generated way, which answers it as always.
struct RunListFastPath: ServerMiddleware {
    func intercept(
        _ request: HTTPTypes.HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next:
            @Sendable (HTTPTypes.HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
                HTTPTypes.HTTPResponse, HTTPBody?
            )
    ) async throws -> (HTTPTypes.HTTPResponse, HTTPBody?) {
        guard operationID == "listRuns", let vapor = try? APIContext.current(),
            let filter = try? RunListFilter(QueryValues(vapor)),
            let page = try? await vapor.runService.page(filter)
        else { return try await next(request, body, metadata) }
        var response = HTTPTypes.HTTPResponse(status: .ok)
        response.headerFields[.contentType] = "application/json; charset=utf-8"
        return (response, HTTPBody(RunListJSON.page(page)))
    }
}
