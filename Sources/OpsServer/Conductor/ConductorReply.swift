import Foundation
import OpsConductor

/// The answer object of `POST /api/v1/conductor/plan` and of a conversation's messages (issue 19, exact): the
/// planner's ``ConductorAnswer`` with snake_case keys, `action` and `workflow` always present (null for the one not
/// set), and, in a conversation, the message's id and the run it launched.
public struct ConductorReply: Sendable, Codable, Hashable {
    /// One plan as the API shows it.
    public struct Plan: Sendable, Codable, Hashable {
        public var tool: String
        public var action: String?
        public var workflow: String?
        public var parameters: [String: String]
        public var targets: [String]
        public var destructive: Bool
        /// linux | windows, when all its targets are of one platform.
        public var platform: String?

        public init(_ plan: ConductorPlan) {
            tool = plan.tool
            action = plan.action
            workflow = plan.workflow
            parameters = plan.parameters
            targets = plan.targets
            destructive = plan.destructive
            platform = plan.platform?.rawValue
        }

        /// `tool.action` or `tool.workflow`.
        public var reference: String { tool + "." + (action ?? workflow ?? "") }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tool, forKey: .tool)
            try container.encode(action, forKey: .action)
            try container.encode(workflow, forKey: .workflow)
            try container.encode(parameters, forKey: .parameters)
            try container.encode(targets, forKey: .targets)
            try container.encode(destructive, forKey: .destructive)
            try container.encode(platform, forKey: .platform)
        }
    }

    /// A clarifying question: its field (`targets`, `tool`, `action`, `parameters.NAME`) and the choices offered.
    public struct Question: Sendable, Codable, Hashable {
        public var field: String
        public var text: String
        public var choices: [String]
    }

    /// Which words of the request matched what, and how well (0…1).
    public struct Match: Sendable, Codable, Hashable {
        public var words: String
        public var kind: String
        public var value: String
        public var score: Double
    }

    /// plan | clarify | refuse
    public var kind: String
    public var text: String
    public var confidence: Double
    public var plans: [Plan]
    public var questions: [Question]
    /// Which words matched what.
    public var explanation: [Match]
    /// The assistant message's id (conversations only).
    public var messageID: String?
    /// The run this answer launched (the first, when several platforms launched several).
    public var runID: String?
    /// Every run it launched, one per plan.
    public var runIDs: [String]?

    enum CodingKeys: String, CodingKey {
        case kind, text, confidence, plans, questions, explanation
        case messageID = "message_id"
        case runID = "run_id"
        case runIDs = "run_ids"
    }

    public init(_ answer: ConductorAnswer) {
        kind = answer.kind.rawValue
        text = answer.text
        confidence = Self.unit(answer.confidence)
        plans = answer.plans.map(Plan.init)
        questions = answer.questions.map { Question(field: $0.field, text: $0.text, choices: $0.choices) }
        explanation = answer.explanation.map {
            Match(words: $0.words, kind: $0.kind, value: $0.value, score: Self.unit($0.score))
        }
    }

    /// A score in 0…1 (JSON has no NaN).
    static func unit(_ value: Double) -> Double { value.isFinite ? min(1, max(0, value)) : 0 }
}

extension ConductorReply.Plan {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tool = try container.decode(String.self, forKey: .tool)
        action = try container.decodeIfPresent(String.self, forKey: .action)
        workflow = try container.decodeIfPresent(String.self, forKey: .workflow)
        parameters = try container.decode([String: String].self, forKey: .parameters)
        targets = try container.decode([String].self, forKey: .targets)
        destructive = try container.decode(Bool.self, forKey: .destructive)
        platform = try container.decodeIfPresent(String.self, forKey: .platform)
    }

    enum CodingKeys: String, CodingKey {
        case tool, action, workflow, parameters, targets, destructive, platform
    }
}
