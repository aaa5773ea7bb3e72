import Fluent
import Foundation

/// One log for all targets (issue 16.4): every line any target printed, in the order lines were completed, each
/// with its target (and step, in a workflow). Built from the run's `output` events, which are numbered as they
/// arrived; a line split over several events is joined, and a line still being printed is kept open.
struct PrefixedLog {
    struct Line: Equatable {
        var targetIndex: Int
        var target: String
        var step: Int
        var stderr: Bool
        var text: String
        /// Still being printed (no line end yet): what follows continues it.
        var open = false

        /// The key under which the live page continues an open line.
        var key: String { "\(targetIndex)-\(step)-\(stderr ? "e" : "o")" }
    }

    /// How many steps the run has: the step is named only when there are several.
    var stepCount: Int
    private var partial: [String: Line] = [:]
    private(set) var lines: [Line] = []
    /// Drop the oldest lines past this many (the page shows the end); nil keeps all.
    var keep: Int?

    init(stepCount: Int, keep: Int? = nil) {
        self.stepCount = stepCount
        self.keep = keep
    }

    private struct Payload: Decodable {
        var target: String
        var step: Int
        var stream: String
        var text: String
    }

    mutating func add(_ event: RunEvent) {
        guard event.kind == "output", let targetIndex = event.targetIndex,
            let payload = try? JSONDecoder().decode(Payload.self, from: Data(event.payload.utf8))
        else { return }
        add(
            targetIndex: targetIndex, target: payload.target, step: payload.step, stderr: payload.stream == "stderr",
            text: payload.text)
    }

    mutating func add(targetIndex: Int, target: String, step: Int, stderr: Bool, text: String) {
        let key = Line(targetIndex: targetIndex, target: target, step: step, stderr: stderr, text: "").key
        var current =
            partial[key] ?? Line(targetIndex: targetIndex, target: target, step: step, stderr: stderr, text: "")
        var rest = Substring(text)
        while let newline = rest.firstIndex(of: "\n") {
            current.text += rest[..<newline]
            append(current)
            current.text = ""
            rest = rest[rest.index(after: newline)...]
        }
        current.text += rest
        partial[key] = current.text.isEmpty ? nil : current
    }

    private mutating func append(_ line: Line) {
        lines.append(line)
        if let keep, lines.count > keep * 2 { lines.removeFirst(lines.count - keep) }
    }

    /// The lines, the open ones (still being printed) last, cut to `keep`.
    func finished() -> [Line] {
        var all =
            lines
            + partial.values.sorted { $0.key < $1.key }.map { line in
                var open = line
                open.open = true
                return open
            }
        if let keep, all.count > keep { all.removeFirst(all.count - keep) }
        return all
    }

    /// Takes the completed lines out (for streaming), keeping the open ones.
    mutating func drain() -> [Line] {
        defer { lines = [] }
        return lines
    }

    /// The open lines, ended (for the end of a stream).
    func remainder() -> [Line] {
        partial.values.sorted { $0.key < $1.key }
    }

    /// `web01 | text`, `web01 [2] | text` in a workflow, `… |! text` for standard error.
    func prefix(of line: Line) -> String {
        let step = stepCount > 1 ? " [\(line.step + 1)]" : ""
        return line.target + step + (line.stderr ? " |! " : " | ")
    }

    func text(of line: Line) -> String {
        prefix(of: line) + line.text + "\n"
    }
}

extension RunService {
    /// The last `keep` lines of the one-log view through event `seq`; from the stored steps when the run has no
    /// output events (pruned by retention, or older than events with targets).
    func prefixedTail(_ run: Run, stepCount: Int, through seq: Int, keep: Int) async throws -> [PrefixedLog.Line] {
        var log = PrefixedLog(stepCount: stepCount, keep: keep)
        // The newest events that can hold the lines shown: read backwards in pages, then replayed in order.
        var events = [RunEvent]()
        var before = seq + 1
        var lineCount = 0
        while lineCount < keep {
            let page = try await RunEvent.query(on: database).filter(\.$run.$id == run.requireID())
                .filter(\.$kind == "output").filter(\.$seq < before).sort(\.$seq, .descending).limit(500).all()
            guard let last = page.last else { break }
            events.append(contentsOf: page)
            // A line end is `\n` in the stored JSON.
            lineCount += page.reduce(0) { $0 + $1.payload.components(separatedBy: "\\n").count - 1 }
            before = last.seq
            if page.count < 500 { break }
        }
        if events.isEmpty { return try await prefixedFromExecutions(run, stepCount: stepCount, keep: keep) }
        for event in events.reversed() { log.add(event) }
        return log.finished()
    }

    /// Every stored step's output, step by step in the order they started, as prefixed lines.
    func prefixedFromExecutions(_ run: Run, stepCount: Int, keep: Int?) async throws -> [PrefixedLog.Line] {
        var log = PrefixedLog(stepCount: stepCount, keep: keep)
        let executions = try await Execution.query(on: database).filter(\.$run.$id == run.requireID())
            .sort(\.$startedAt).sort(\.$targetIndex).sort(\.$stepIndex).all()
        for execution in executions {
            for (text, stderr) in [(execution.stdout, false), (execution.stderr, true)] where !text.isEmpty {
                log.add(
                    targetIndex: execution.targetIndex, target: execution.targetName, step: execution.stepIndex,
                    stderr: stderr, text: text.hasSuffix("\n") ? text : text + "\n")
            }
        }
        return log.finished()
    }
}
