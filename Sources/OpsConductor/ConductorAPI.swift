import OpsCore

// The contract between the planner (this module) and the server (OpsServer: API, storage, pages, CLI).
// The server builds a `ConductorInventory` snapshot and passes the loaded `Catalog`; the planner answers
// with a `ConductorAnswer` and the `ConversationState` to store for the next turn. The planner never
// launches anything and never touches storage.

/// What kind of answer the planner gives.
public enum ConductorAnswerKind: String, Sendable, Codable, Equatable {
    case plan, clarify, refuse
}

/// One runnable plan: exactly what the run form could have submitted.
public struct ConductorPlan: Sendable, Codable, Equatable {
    public var tool: String
    /// Exactly one of `action` and `workflow` is set.
    public var action: String?
    public var workflow: String?
    /// Validated values, by parameter name (defaults not included unless the user gave them).
    public var parameters: [String: String]
    /// Resolved target names, sorted.
    public var targets: [String]
    /// Any action it runs is destructive: needs an explicit confirmation.
    public var destructive: Bool
    /// The platform of its targets (one plan per platform).
    public var platform: OSFamily?

    public init(
        tool: String, action: String?, workflow: String?, parameters: [String: String], targets: [String],
        destructive: Bool, platform: OSFamily?
    ) {
        self.tool = tool
        self.action = action
        self.workflow = workflow
        self.parameters = parameters
        self.targets = targets
        self.destructive = destructive
        self.platform = platform
    }

    /// `tool.action` or `tool.workflow`.
    public var reference: String { tool + "." + (action ?? workflow ?? "") }
}

/// A clarifying question about one field.
public struct ConductorQuestion: Sendable, Codable, Equatable {
    /// `targets`, `tool`, `action` or `parameters.NAME`.
    public var field: String
    public var text: String
    /// What the user may pick from (may be empty).
    public var choices: [String]

    public init(field: String, text: String, choices: [String] = []) {
        self.field = field
        self.text = text
        self.choices = choices
    }
}

/// Which words matched what (the explanation shown with an answer).
public struct ConductorMatch: Sendable, Codable, Equatable {
    /// The words of the request, as typed.
    public var words: String
    /// `tool`, `action`, `workflow`, `parameter`, `group`, `tag`, `target`, `platform`, `verb`, `refusal`.
    public var kind: String
    /// What they matched: an id, `name=value`, a group name…
    public var value: String
    /// 0…1.
    public var score: Double

    public init(words: String, kind: String, value: String, score: Double) {
        self.words = words
        self.kind = kind
        self.value = value
        self.score = score
    }
}

/// The planner's answer to one message.
public struct ConductorAnswer: Sendable, Codable, Equatable {
    public var kind: ConductorAnswerKind
    /// A short human sentence: the plan in words, the question, or the refusal's reason.
    public var text: String
    /// 0…1.
    public var confidence: Double
    /// Non-empty only for `plan`.
    public var plans: [ConductorPlan]
    /// Non-empty only for `clarify`.
    public var questions: [ConductorQuestion]
    public var explanation: [ConductorMatch]

    public init(
        kind: ConductorAnswerKind, text: String, confidence: Double, plans: [ConductorPlan] = [],
        questions: [ConductorQuestion] = [], explanation: [ConductorMatch] = []
    ) {
        self.kind = kind
        self.text = text
        self.confidence = confidence
        self.plans = plans
        self.questions = questions
        self.explanation = explanation
    }
}

/// One target as the planner sees it.
public struct ConductorTarget: Sendable, Codable, Equatable {
    public var name: String
    public var os: OSFamily
    /// ssh | openssh | winrm | ssm | local
    public var transport: String
    public var tags: [String: String]
    /// Names of the groups it belongs to (static or by selector).
    public var groups: [String]

    public init(name: String, os: OSFamily, transport: String, tags: [String: String], groups: [String]) {
        self.name = name
        self.os = os
        self.transport = transport
        self.tags = tags
        self.groups = groups
    }
}

/// One group as the planner sees it.
public struct ConductorGroup: Sendable, Codable, Equatable {
    public var name: String
    public var description: String?
    /// Resolved member names (static and by selector), sorted.
    public var members: [String]

    public init(name: String, description: String?, members: [String]) {
        self.name = name
        self.description = description
        self.members = members
    }
}

/// The inventory snapshot one answer is planned against.
public struct ConductorInventory: Sendable, Codable, Equatable {
    public var targets: [ConductorTarget]
    public var groups: [ConductorGroup]

    public init(targets: [ConductorTarget], groups: [ConductorGroup]) {
        self.targets = targets
        self.groups = groups
    }
}

/// What a conversation remembers between turns; stored by the server as JSON (opaque to it except
/// `awaitingConfirmation`). Codable and stable across versions: new fields must be optional.
public struct ConversationState: Sendable, Codable, Equatable {
    /// The plans last shown and not yet confirmed or dropped (the server launches these on "yes",
    /// after `ConductorPlanner.confirm` says they still hold).
    public var awaitingConfirmation: [ConductorPlan]?
    /// The planner's partial understanding (tool, action, parameters, target words…), opaque JSON text.
    public var frame: String?

    public init(awaitingConfirmation: [ConductorPlan]? = nil, frame: String? = nil) {
        self.awaitingConfirmation = awaitingConfirmation
        self.frame = frame
    }
}

/// What a reply to a plan awaiting confirmation means.
public enum ConductorConfirmation: Sendable, Equatable {
    /// "yes": the shown plans still hold exactly; launch these.
    case launch([ConductorPlan])
    /// "yes", but the tool, action, parameters or resolved targets changed since they were shown: show this
    /// answer (a new plan) and ask again.
    case changed(ConductorAnswer)
    /// "no", "cancel": drop the plans.
    case declined
    /// Anything else: not a confirmation; plan the text as a follow-up.
    case notAConfirmation
}

/// The planner. Implementations: the deterministic planner (default) and the LLM-backed one that falls
/// back to it.
public protocol ConductorPlanner: Sendable {
    /// Answers one message. `state` is what the previous turn returned (nil for a new conversation).
    func answer(
        _ text: String, state: ConversationState?, catalog: Catalog, inventory: ConductorInventory
    ) async -> (ConductorAnswer, ConversationState)

    /// Interprets `text` as a reply to `state.awaitingConfirmation`, re-resolving the shown plans against the
    /// current catalog and inventory.
    func confirm(
        _ text: String, state: ConversationState, catalog: Catalog, inventory: ConductorInventory
    ) async -> ConductorConfirmation
}
