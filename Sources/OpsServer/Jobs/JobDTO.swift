import Foundation
import OpsCore

/// A job as the API, the CLI and the pages show it: secret values as `***`, with what keeps it from running.
public struct JobDTO: Sendable, Codable, Hashable {
    /// Stable for the job's life: what schedules and notifications will reference; a rename keeps it.
    public var id: String
    public var name: String
    public var description: String
    public var tool: String
    public var action: String?
    public var workflow: String?
    /// Stored values; secret ones as `***`.
    public var parameters: [String: String]
    public var targets: [String]
    public var groups: [String]
    public var selector: String?
    public var maxConcurrency: String?
    public var maxErrors: String?
    /// What a runner may change: `parameters`, `targets`, `limits`.
    public var overridable: [String]
    /// Secret parameters it stores no value for: given with each run (the required ones must be).
    public var prompts: [String]
    public var owner: String
    public var createdBy: String
    public var updatedBy: String
    public var version: Int
    public var createdAt: Date?
    public var updatedAt: Date?
    /// Why it cannot run as saved, as `field: message` (the catalog or the inventory changed); empty when it can.
    public var problems: [String]

    enum CodingKeys: String, CodingKey {
        case id, name, description, tool, action, workflow, parameters, targets, groups, selector, overridable
        case prompts, owner, version, problems
        case maxConcurrency = "max_concurrency"
        case maxErrors = "max_errors"
        case createdBy = "created_by"
        case updatedBy = "updated_by"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// `tool.action` or `tool.workflow`.
    public var reference: String { "\(tool).\(action ?? workflow ?? "")" }
}
