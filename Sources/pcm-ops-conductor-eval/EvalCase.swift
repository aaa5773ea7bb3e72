import Foundation
import OpsConductor
import OpsCore

/// One line of an evaluation set: the turns of a conversation and what the last one must answer.
struct EvalCase {
    enum Expectation {
        case refuse
        case clarify(field: String)
        case plan([ExpectedPlan])
        case launch
        case declined
    }

    struct ExpectedPlan {
        var reference: String
        var parameters: [String: String]
        var selector: String
    }

    var line: Int
    var turns: [String]
    var expectation: Expectation

    var kind: String {
        switch expectation {
        case .refuse: "refuse"
        case .clarify: "clarify"
        case .plan: "plan"
        case .launch, .declined: "confirm"
        }
    }

    /// Reads `TEXT<TAB>EXPECTED` lines (see Tests/fixtures/conductor/eval/README.md).
    static func load(_ path: String) throws -> [EvalCase] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var cases = [EvalCase]()
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let columns = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard columns.count == 2 else {
                throw EvalError.malformed(path: path, line: number + 1, "expected TEXT<TAB>EXPECTED")
            }
            let turns = columns[0].components(separatedBy: " ||| ")
            cases.append(EvalCase(line: number + 1, turns: turns, expectation: try parse(columns[1], path, number + 1)))
        }
        return cases
    }

    private static func parse(_ text: String, _ path: String, _ line: Int) throws -> Expectation {
        if text == "refuse" { return .refuse }
        if text == "launch" { return .launch }
        if text == "declined" { return .declined }
        if text.hasPrefix("clarify ") { return .clarify(field: String(text.dropFirst("clarify ".count))) }
        guard text.hasPrefix("plan ") else { throw EvalError.malformed(path: path, line: line, "unknown expectation") }
        let plans = try text.dropFirst("plan ".count).components(separatedBy: " ;; ").map { part -> ExpectedPlan in
            guard let open = part.firstIndex(of: "{"), let close = part.lastIndex(of: "}") else {
                throw EvalError.malformed(path: path, line: line, "plan without {parameters}")
            }
            let reference = part[..<open].trimmingCharacters(in: .whitespaces)
            let json = Data(part[open...close].utf8)
            guard let parameters = try JSONSerialization.jsonObject(with: json) as? [String: String] else {
                throw EvalError.malformed(path: path, line: line, "parameters must be a JSON object of strings")
            }
            let selector = part[part.index(after: close)...].trimmingCharacters(in: .whitespaces)
            return ExpectedPlan(reference: reference, parameters: parameters, selector: selector)
        }
        return .plan(plans)
    }
}

enum EvalError: Error, CustomStringConvertible {
    case malformed(path: String, line: Int, String)
    case badSelector(String)
    case usage(String)

    var description: String {
        switch self {
        case .malformed(let path, let line, let message): "\(path):\(line): \(message)"
        case .badSelector(let selector): "bad selector '\(selector)'"
        case .usage(let message): message
        }
    }
}

/// The expected targets of a selector (`g:web-servers&t:env=staging&os:linux`), resolved over the fixture
/// inventory by plain set logic — independent of the planner's reading of words.
enum ExpectedTargets {
    static func resolve(_ selector: String, in inventory: ConductorInventory) throws -> [String] {
        var names = Set(inventory.targets.map(\.name))
        for term in selector.split(separator: "&").map(String.init) {
            let matching: Set<String>
            if term == "all" {
                matching = names
            } else if term.hasPrefix("g:") {
                guard let group = inventory.groups.first(where: { $0.name == term.dropFirst(2) }) else {
                    throw EvalError.badSelector(selector)
                }
                matching = Set(group.members)
            } else if term.hasPrefix("h:") {
                matching = Set(term.dropFirst(2).split(separator: ",").map(String.init))
            } else if term.hasPrefix("t:") {
                let pair = term.dropFirst(2).split(separator: "=", maxSplits: 1).map(String.init)
                guard pair.count == 2 else { throw EvalError.badSelector(selector) }
                matching = Set(inventory.targets.filter { $0.tags[pair[0]] == pair[1] }.map(\.name))
            } else if term.hasPrefix("os:"), let os = OSFamily(rawValue: String(term.dropFirst(3))) {
                matching = Set(inventory.targets.filter { $0.os == os }.map(\.name))
            } else {
                throw EvalError.badSelector(selector)
            }
            names.formIntersection(matching)
        }
        return names.sorted()
    }
}
