import Foundation
import OpsCore

/// One SSM endpoint: an environment, an account (nil: the credentials' own) and a region. Every command is sent
/// to one scope.
public struct SSMScope: Sendable, Hashable, CustomStringConvertible {
    public var environment: String
    public var account: String?
    public var region: String

    public init(environment: String, account: String?, region: String) {
        self.environment = environment
        self.account = account
        self.region = region
    }

    public var description: String { "\(environment)/\(account ?? "own account")/\(region)" }
}

/// Where an `ssm` target lives.
public struct SSMTargetLocation: Sendable, Hashable {
    public var scope: SSMScope
    public var instanceID: String
    public var windows: Bool

    public init(scope: SSMScope, instanceID: String, windows: Bool) {
        self.scope = scope
        self.instanceID = instanceID
        self.windows = windows
    }
}

/// How the transport batches and polls.
public struct SSMTransportOptions: Sendable {
    /// How long the first invocation of a group waits for others to join its SendCommand.
    public var batchWindow: Duration = .milliseconds(200)
    /// SSM's limit of instance ids per SendCommand.
    public var maxInstancesPerCommand = 50
    /// First poll interval, and again whenever something changed.
    public var minPollInterval: Duration = .seconds(1)
    /// Longest poll interval, reached by ×1.5 steps while nothing changes.
    public var maxPollInterval: Duration = .seconds(10)
    /// `TimeoutSeconds` of SendCommand: how long SSM tries to deliver.
    public var deliveryTimeoutSeconds = 600
    /// Poll rounds in a row that may fail before the command's invocations fail.
    public var maxPollFailures = 5
    /// How long an invocation may stay missing from ListCommandInvocations after the send.
    public var missingGrace: Duration = .seconds(60)
    /// Waits (tests pass one that returns at once).
    public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    /// Text for SendCommand's `Comment`.
    public var comment = "pcm-ops"

    public init() {}
}

/// Called once SendCommand succeeded and awaited before polling starts: the server stores the command id on the
/// executions, so after a restart polling resumes and no target is lost.
public typealias SSMCommandRecorder =
    @Sendable (_ keys: [InvocationKey], _ commandID: String, _ scope: SSMScope, _ instanceIDs: [String]) async throws
    -> Void

/// The events of one `execute` call's stream: finishes the stream after the last of its invocations finished,
/// and knows whether its consumer went away (the run was cancelled).
final class SSMBatchSink: @unchecked Sendable {
    private let lock = NSLock()
    private let continuation: AsyncStream<TransportEvent>.Continuation
    private var remaining: Set<InvocationKey>
    private var gone = false

    init(continuation: AsyncStream<TransportEvent>.Continuation, keys: [InvocationKey]) {
        self.continuation = continuation
        self.remaining = Set(keys)
        if keys.isEmpty { continuation.finish() }
    }

    var isGone: Bool { lock.withLock { gone } }

    func markGone() { lock.withLock { gone = true } }

    func yield(_ event: TransportEvent) {
        let finish: Bool = lock.withLock {
            if case .finished(let key, _) = event {
                guard remaining.remove(key) != nil else { return false }
                continuation.yield(event)
                return remaining.isEmpty
            }
            if case .output(let key, _, _) = event, !remaining.contains(key) { return false }
            if case .started(let key) = event, !remaining.contains(key) { return false }
            continuation.yield(event)
            return false
        }
        if finish { continuation.finish() }
    }
}

/// One invocation on its way through SSM.
struct SSMEntry: Sendable {
    var invocation: Invocation
    var location: SSMTargetLocation
    var sink: SSMBatchSink
}

/// What must be equal for invocations to share one SendCommand.
struct SSMGroupKey: Hashable, Sendable {
    var scope: SSMScope
    var document: String
    var commands: [String]
    var executionTimeout: Int
}
