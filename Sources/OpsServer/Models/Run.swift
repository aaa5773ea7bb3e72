import Fluent
import Foundation

/// One submission of a catalog action or workflow to a set of targets.
public final class Run: Model, @unchecked Sendable {
    public static let schema = "runs"

    @ID(key: .id) public var id: UUID?
    /// What users and URLs call it: `r-` and 10 base-32 characters.
    @Field(key: "public_id") public var publicID: String
    @Field(key: "tool") public var tool: String
    @OptionalField(key: "action") public var action: String?
    @OptionalField(key: "workflow") public var workflow: String?
    /// JSON object of parameter values, secret ones as `***`.
    @Field(key: "parameters") public var parametersJSON: String
    /// JSON array of the planned steps (action, script ids and SHA-256s, policy).
    @Field(key: "steps") public var stepsJSON: String
    @Field(key: "requested_by") public var requestedBy: String
    /// web | api | cli | conductor
    @Field(key: "source") public var source: String
    /// queued | running | succeeded | failed | partially_failed | cancelled
    @Field(key: "status") public var status: String
    /// As given: `50` or `10%`.
    @Field(key: "max_concurrency") public var maxConcurrency: String
    @Field(key: "max_errors") public var maxErrors: String
    @Field(key: "target_count") public var targetCount: Int
    @OptionalField(key: "change") public var change: String?
    @OptionalField(key: "idempotency_key") public var idempotencyKey: String?
    /// SHA-256 of the normalised request, to tell a replay from a different request with the same key.
    @OptionalField(key: "request_hash") public var requestHash: String?
    @Field(key: "cancel_requested") public var cancelRequested: Bool
    @OptionalField(key: "cancelled_by") public var cancelledBy: String?
    /// The process driving the run (`host/pid/boot`), and until when its claim holds.
    @OptionalField(key: "owner") public var owner: String?
    @OptionalField(key: "lease_expires_at") public var leaseExpiresAt: Date?
    /// Why it ended as it did, when that needs saying (recovery after a crash).
    @OptionalField(key: "note") public var note: String?
    /// The run's ``RunProgress`` as ``StoredProgress`` text, kept current by the recorder so that lists of runs
    /// never count executions (issue 17.2); missing only on rows older than that.
    @OptionalField(key: "progress") public var progressText: String?
    /// When the retention policy removed this run's output and events (`--retain-output-days`).
    @OptionalField(key: "output_pruned_at") public var outputPrunedAt: Date?
    @Timestamp(key: "created_at", on: .none) public var createdAt: Date?
    @Timestamp(key: "started_at", on: .none) public var startedAt: Date?
    @Timestamp(key: "finished_at", on: .none) public var finishedAt: Date?

    public init() {}
}

/// One step of a run on one target.
public final class Execution: Model, @unchecked Sendable {
    public static let schema = "executions"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "run_id") public var run: Run
    /// Position of the target in the run (admission order).
    @Field(key: "target_index") public var targetIndex: Int
    @OptionalField(key: "target_id") public var targetID: UUID?
    /// Snapshot of the target as it was when the run started.
    @Field(key: "target_name") public var targetName: String
    @Field(key: "target_address") public var targetAddress: String
    @Field(key: "step_index") public var stepIndex: Int
    @Field(key: "step_action") public var stepAction: String
    @Field(key: "status") public var status: String
    @OptionalField(key: "exit_code") public var exitCode: Int?
    @OptionalField(key: "exit_signal") public var exitSignal: String?
    @Field(key: "stdout") public var stdout: String
    @Field(key: "stderr") public var stderr: String
    @Field(key: "truncated") public var truncated: Bool
    @OptionalField(key: "error") public var error: String?
    /// succeeded | failed | timed_out | cancelled, when a rollback script ran.
    @OptionalField(key: "rollback_status") public var rollbackStatus: String?
    @OptionalField(key: "ssm_command_id") public var ssmCommandID: String?
    @Field(key: "attempt") public var attempt: Int
    @OptionalField(key: "lease_owner") public var leaseOwner: String?
    @OptionalField(key: "lease_expires_at") public var leaseExpiresAt: Date?
    @Timestamp(key: "started_at", on: .none) public var startedAt: Date?
    @Timestamp(key: "finished_at", on: .none) public var finishedAt: Date?

    public init() {}
}

/// One entry of a run's event stream: live updates, and replay after a reconnect.
public final class RunEvent: Model, @unchecked Sendable {
    public static let schema = "run_events"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "run_id") public var run: Run
    /// 1, 2, 3… per run, without gaps.
    @Field(key: "seq") public var seq: Int
    /// run.status | execution.status | output | run.finished
    @Field(key: "kind") public var kind: String
    /// JSON object.
    @Field(key: "payload") public var payload: String
    /// The target an `output` or `execution.status` event is about (absent on older rows).
    @OptionalField(key: "target_index") public var targetIndex: Int?
    @Timestamp(key: "created_at", on: .none) public var createdAt: Date?

    public init() {}

    init(run: UUID, seq: Int, kind: String, payload: String, at: Date, target: Int? = nil) {
        self.$run.id = run
        self.seq = seq
        self.kind = kind
        self.payload = payload
        self.createdAt = at
        self.targetIndex = target
    }
}

/// A catalog script version that ran (its text before parameters were put in front, so no secret).
public final class ScriptRecord: Model, @unchecked Sendable {
    public static let schema = "scripts"

    @ID(key: .id) public var id: UUID?
    @Field(key: "tool") public var tool: String
    @Field(key: "action") public var action: String
    /// The file (or `tool.yml` for inline scripts), and which script of the action: action, validation, rollback.
    @Field(key: "name") public var name: String
    @Field(key: "interpreter") public var interpreter: String
    @Field(key: "content") public var content: String
    @Field(key: "sha256") public var sha256: String
    @Timestamp(key: "created_at", on: .none) public var createdAt: Date?

    public init() {}
}
