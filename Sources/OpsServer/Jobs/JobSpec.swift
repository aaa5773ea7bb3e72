import Foundation

/// What a runner may change when running a job (AWX's "prompt on launch"). A job allows none by default: it runs
/// exactly as saved. Secret parameters the job stores no value for are always asked for, whatever it allows.
public enum JobOverride: String, Sendable, Codable, CaseIterable, Hashable, Comparable {
    /// Values of any of the action's parameters.
    case parameters
    /// The targets, groups and selector, as a whole.
    case targets
    /// `max_concurrency` and `max_errors`.
    case limits

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A job as its author gives it (create), before it is checked.
public struct JobSpec: Sendable, Hashable {
    public var name: String
    public var description = ""
    public var tool: String
    public var action: String?
    public var workflow: String?
    /// Values by parameter name. On a change, a secret parameter's value `***` keeps the stored value.
    public var parameters: [String: String] = [:]
    public var targets: [String] = []
    public var groups: [String] = []
    public var selector: String?
    public var maxConcurrency: String?
    public var maxErrors: String?
    public var overridable: Set<JobOverride> = []

    public init(name: String, tool: String, action: String? = nil, workflow: String? = nil) {
        self.name = name
        self.tool = tool
        self.action = action
        self.workflow = workflow
    }

    /// The value the API shows for a stored secret, and that keeps it when sent back.
    public static let keptSecret = "***"
}

/// A change to a job: nil leaves a field as it is. Giving `action` clears `workflow` and the other way round; an
/// empty `selector`, `max_concurrency` or `max_errors` clears it; `parameters` replaces the whole set.
public struct JobPatch: Sendable, Hashable {
    public var name: String?
    public var description: String?
    public var tool: String?
    public var action: String?
    public var workflow: String?
    public var parameters: [String: String]?
    public var targets: [String]?
    public var groups: [String]?
    public var selector: String?
    public var maxConcurrency: String?
    public var maxErrors: String?
    public var overridable: Set<JobOverride>?
    /// Admins only: hands the job to another user.
    public var owner: String?
    /// The version the change was made against; a newer stored one refuses it (409).
    public var version: Int?

    public init() {}
}

/// What a runner gives when running a job: nil (or an empty dictionary of parameters) takes the job's own.
public struct JobRunOverrides: Sendable, Hashable {
    public var parameters: [String: String] = [:]
    public var targets: [String]?
    public var groups: [String]?
    public var selector: String?
    public var maxConcurrency: String?
    public var maxErrors: String?
    public var confirm = false
    public var dryRun = false

    public init() {}

    /// Whether any of targets, groups or selector is given.
    var choosesTargets: Bool { targets != nil || groups != nil || selector != nil }
}
