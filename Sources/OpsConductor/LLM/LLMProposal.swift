import Foundation

/// What the model proposed, read from its function call (or from JSON in its message text).
struct LLMProposal: Sendable, Equatable {
    struct Targets: Sendable, Equatable {
        var hosts: [String] = []
        var groups: [String] = []
        var tags: [(key: String, value: String)] = []
        var platform: String?
        var all = false

        static func == (lhs: Targets, rhs: Targets) -> Bool {
            lhs.hosts == rhs.hosts && lhs.groups == rhs.groups && lhs.platform == rhs.platform && lhs.all == rhs.all
                && lhs.tags.map { $0.key + "=" + $0.value } == rhs.tags.map { $0.key + "=" + $0.value }
        }
    }

    var kind: String
    var operation: String?
    var parameters: [String: String] = [:]
    var targets = Targets()
    var field: String?
    var reason: String?

    /// Reads a chat completions response body.
    static func decode(_ data: Data) throws(LLMPlannerError) -> LLMProposal {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let choices = root["choices"] as? [[String: Any]], let message = choices.first?["message"] as? [String: Any]
        else { throw .malformedResponse("no choices[0].message") }
        var arguments: String?
        if let calls = message["tool_calls"] as? [[String: Any]],
            let function = calls.first?["function"] as? [String: Any]
        {
            arguments = function["arguments"] as? String
        }
        if arguments == nil, let content = message["content"] as? String {
            arguments = stripFence(content)
        }
        guard let arguments,
            let object = try? JSONSerialization.jsonObject(with: Data(arguments.utf8)) as? [String: Any]
        else { throw .malformedResponse("no JSON arguments") }
        return try proposal(from: object)
    }

    private static func stripFence(_ text: String) -> String {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.hasPrefix("```") {
            body = String(body.drop { $0 != "\n" }.dropFirst())
            if body.hasSuffix("```") { body = String(body.dropLast(3)) }
        }
        return body
    }

    private static func proposal(from object: [String: Any]) throws(LLMPlannerError) -> LLMProposal {
        guard let kind = object["kind"] as? String, ["plan", "clarify", "refuse"].contains(kind) else {
            throw .malformedResponse("kind must be plan, clarify or refuse")
        }
        var proposal = LLMProposal(kind: kind)
        proposal.operation = object["operation"] as? String
        proposal.field = object["field"] as? String
        proposal.reason = object["reason"] as? String
        if let parameters = object["parameters"] as? [String: Any] {
            for (name, value) in parameters {
                switch value {
                case let text as String: proposal.parameters[name] = text
                case let number as Int: proposal.parameters[name] = String(number)
                case let flag as Bool: proposal.parameters[name] = flag ? "true" : "false"
                default: throw .malformedResponse("parameter \(name) is not a string or number")
                }
            }
        }
        if let targets = object["targets"] as? [String: Any] {
            proposal.targets.hosts = targets["hosts"] as? [String] ?? []
            proposal.targets.groups = targets["groups"] as? [String] ?? []
            proposal.targets.platform = targets["platform"] as? String
            proposal.targets.all = targets["all"] as? Bool ?? false
            for tag in targets["tags"] as? [[String: Any]] ?? [] {
                guard let key = tag["key"] as? String, let value = tag["value"] as? String else {
                    throw .malformedResponse("a tag needs key and value")
                }
                proposal.targets.tags.append((key, value))
            }
        }
        return proposal
    }
}
