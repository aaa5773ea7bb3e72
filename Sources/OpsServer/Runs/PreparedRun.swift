import Foundation
import OpsCore
import OpsSSH

/// A run request checked and resolved: the catalog selection, validated values, targets and the
/// engine plan. Nothing has run and nothing is stored yet.
struct PreparedRun: Sendable {
    var request: RunRequest
    var tool: ToolDefinition
    var action: String?
    var workflow: String?
    var destructive: Bool
    /// Validated values, secret ones included: only ever rendered into scripts.
    var values: [String: String]
    /// The values as they may be stored and shown: secret ones as `***`.
    var shownValues: [String: String]
    var steps: [StepRecord]
    var targets: [RunTarget]
    var maxConcurrency: BatchLimit
    var maxErrors: BatchLimit
    var plan: RunPlan
    var hostKeys: any HostKeyStore

    /// What a run stores about a step: which scripts ran (their catalog SHA-256 and the SHA-256 of
    /// the text as rendered with this run's values) and how the step behaves.
    struct StepRecord: Sendable, Codable, Equatable {
        var action: String
        var name: String
        var interpreter: String
        var timeout: Int
        var requiresAdmin: Bool
        var destructive: Bool
        var onFailure: String
        var scripts: [ScriptRef]

        enum CodingKeys: String, CodingKey {
            case action, name, interpreter, timeout, scripts
            case requiresAdmin = "requires_admin"
            case destructive
            case onFailure = "on_failure"
        }
    }

    struct ScriptRef: Sendable, Codable, Equatable {
        /// action | validation | rollback
        var phase: String
        /// The file the script came from.
        var origin: String
        /// SHA-256 of the catalog text (the `scripts` row).
        var sha256: String
        /// SHA-256 of the text as sent, parameters in front.
        var renderedSHA256: String
        /// Not stored: the catalog text, to save in `scripts`.
        var content: String?

        enum CodingKeys: String, CodingKey {
            case phase, origin, sha256
            case renderedSHA256 = "rendered_sha256"
        }
    }

    var reference: String { "\(tool.id).\(action ?? workflow ?? "")" }
}
