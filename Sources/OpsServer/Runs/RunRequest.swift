import Foundation
import OpsCore
import OpsSSH
import Vapor

/// What someone asks to run (DESIGN.md §10), from the web, the API or the CLI.
public struct RunRequest: Sendable {
    public var tool: String
    public var action: String?
    public var workflow: String?
    /// Target names.
    public var targets: [String] = []
    /// Group names; their members are added.
    public var groups: [String] = []
    /// Tag selector (`env=prod,role=web`); matching targets are added.
    public var selector: String?
    /// Hosts from an inventory file, for this run only (CLI `-i`), not stored as targets.
    public var inventoryHosts: [InventoryHost] = []
    public var parameters: [String: String] = [:]
    /// `N` or `N%`; default 50.
    public var maxConcurrency: String?
    /// `N` or `N%`; default `0` for destructive actions, unlimited otherwise.
    public var maxErrors: String?
    public var dryRun = false
    /// Required for destructive actions.
    public var confirm = false
    public var idempotencyKey: String?
    /// The ServiceNow change this run belongs to.
    public var change: String?
    /// Trust and store unknown host keys for this run (`--accept-new`).
    public var acceptNew = false
    /// Extra trusted host keys for this run (`--known-hosts FILE`).
    public var knownHosts: [KnownHostEntry] = []
    /// The Conductor conversation whose "yes" launched it.
    public var conversation: UUID?
    /// The run this one is started again from ("Run again", "Rerun on failed targets"): its `rerun_of`.
    public var rerunOf: String?
    /// The saved job that launched it (issue 16.3).
    public var job: JobLink?

    public init(tool: String, action: String? = nil, workflow: String? = nil) {
        self.tool = tool
        self.action = action
        self.workflow = workflow
    }

    /// A request for `tool.action` or `tool.workflow`, whichever the catalog has.
    public init(reference: String, catalog: Catalog) throws {
        switch catalog.resolve(reference) {
        case .success(.action(let tool, let action)): self.init(tool: tool.id, action: action.id)
        case .success(.workflow(let tool, let workflow)): self.init(tool: tool.id, workflow: workflow.id)
        case .failure(let error): throw RunError.invalid(field: "tool", message: error.description)
        }
    }

    /// The default concurrency: as SSM's.
    public static let defaultMaxConcurrency = "50"
}

/// A run request that cannot be carried out, or a run that cannot be changed.
public enum RunError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(field: String, message: String)
    case confirmationRequired(String)
    case notFound(String)
    /// The catalog has no such tool, action or workflow: a 404, as for any named object that does not exist.
    case unknown(field: String, message: String)
    case idempotencyConflict(String)
    case notCancellable(id: String, status: String)

    public var description: String {
        switch self {
        case .invalid(let field, let message), .unknown(let field, let message): "\(field): \(message)"
        case .confirmationRequired(let what):
            "confirm: \(what) is destructive; confirm it (\"confirm\": true, or --yes on the command line)"
        case .notFound(let id): "no run '\(id)'"
        case .idempotencyConflict(let key):
            "Idempotency-Key '\(key)' was already used for a different request"
        case .notCancellable(let id, let status): "run \(id) has already ended (\(status))"
        }
    }
}

extension RunError: AbortError {
    public var status: HTTPResponseStatus {
        switch self {
        case .invalid, .confirmationRequired: .badRequest
        case .notFound, .unknown: .notFound
        case .idempotencyConflict, .notCancellable: .conflict
        }
    }

    public var reason: String { description }
}
