import Crypto
import Fluent
import Foundation
import Logging
import OpsCore
import OpsSSH

/// Submits, runs, cancels and recovers runs: the one path the web, the API and the CLI share.
public struct RunService: Sendable {
    let database: any Database
    let services: AppServices
    let logger: Logger
    /// The browser session that launches runs, whose AWS keys (entered on `/aws`) SSM targets then use.
    var awsSessionID: UUID?

    public init(database: any Database, services: AppServices, logger: Logger, awsSessionID: UUID? = nil) {
        self.database = database
        self.services = services
        self.logger = logger
        self.awsSessionID = awsSessionID
    }

    var audit: AuditLog {
        AuditLog(database: database, now: { [clock = services.clock] in clock.now() }, logger: logger)
    }

    func planner(actor: AccountService.Actor) -> RunPlanner {
        let audit = self.audit
        let knownHosts = KnownHostsService(database: database, audit: audit)
        let connector = TargetConnector(
            database: database, credentials: CredentialService(database: database, vault: services.vault, audit: audit),
            hostKeys: DatabaseHostKeyStore(service: knownHosts, audit: audit, actor: actor),
            allowLocal: services.config.allowLocal,
            defaultPolicy: HostKeyPolicy(rawValue: services.config.defaultHostKeyPolicy) ?? .strict,
            winrmCABundle: services.config.winrmCABundle, logger: logger)
        return RunPlanner(
            database: database, catalog: services.catalog.catalog, connector: connector,
            allowLocal: services.config.allowLocal, outputCap: 1 << 20)
    }

    /// Checks and renders a request without running or storing anything.
    public func dryRun(_ request: RunRequest, by actor: AccountService.Actor) async throws -> DryRunReport {
        var request = request
        request.dryRun = true
        let prepared = try await planner(actor: actor).prepare(request)
        try await audit.record(
            "run.dry_run", actor: actor.name, object: "tool:\(prepared.reference)",
            details: ["targets": String(prepared.targets.count)], source: actor.source, sourceAddress: actor.address)
        return DryRunReport(prepared)
    }

    /// A run accepted and started (or found again by its idempotency key).
    public struct Submission: Sendable {
        public var run: Run
        /// False when the idempotency key named an earlier run, which is returned instead.
        public var created: Bool
        /// Ends with the run; nil for a replayed submission.
        public var completion: Task<RunSummary, Never>?
    }

    /// Stores the run with its pending executions and starts it in the background.
    public func submit(
        _ request: RunRequest, by actor: AccountService.Actor, source: String,
        observers: [any RunObserver] = []
    ) async throws -> Submission {
        let requester = actor.name ?? "system"
        let requestHash = fingerprint(request)
        if let key = request.idempotencyKey {
            guard !key.isEmpty, key.count <= 200 else {
                throw RunError.invalid(field: "Idempotency-Key", message: "must be 1 to 200 characters")
            }
            if let earlier = try await findIdempotent(requester, key) {
                guard earlier.requestHash == requestHash else { throw RunError.idempotencyConflict(key) }
                return Submission(run: earlier, created: false, completion: nil)
            }
        }
        try await checkOrigin(request)
        let prepared = try await planner(actor: actor).prepare(request)
        let run: Run
        let executionIDs: [[UUID]]
        do {
            (run, executionIDs) = try await store(prepared, requester: requester, source: source, hash: requestHash)
        } catch {
            // The same key submitted twice at once: the other one won.
            if (error as? any DatabaseError)?.isConstraintFailure == true, let key = request.idempotencyKey,
                let earlier = try await findIdempotent(requester, key)
            {
                guard earlier.requestHash == requestHash else { throw RunError.idempotencyConflict(key) }
                return Submission(run: earlier, created: false, completion: nil)
            }
            throw error
        }
        try await audit.record(
            "run.submit", actor: actor.name, object: "run:\(run.publicID)",
            details: [
                "tool": prepared.reference, "targets": String(prepared.targets.count),
                "parameters": prepared.shownValues.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                    .joined(separator: " "),
            ], source: actor.source, sourceAddress: actor.address)
        let completion = Task {
            await execute(prepared, run: run, executionIDs: executionIDs, observers: observers)
        }
        return Submission(run: run, created: true, completion: completion)
    }

    private func findIdempotent(_ requester: String, _ key: String) async throws -> Run? {
        try await Run.query(on: database).filter(\.$requestedBy == requester).filter(\.$idempotencyKey == key).first()
    }

    /// HMAC (under a key derived from the vault key) over everything the request asks for, so a replay
    /// is told from a different request without storing any value, secret or not.
    func fingerprint(_ request: RunRequest) -> String {
        var parts = [
            request.tool, request.action ?? "", request.workflow ?? "", request.targets.joined(separator: ","),
            request.groups.joined(separator: ","), request.selector ?? "",
            request.inventoryHosts.map(\.name).joined(separator: ","), request.maxConcurrency ?? "",
            request.maxErrors ?? "", String(request.confirm), request.change ?? "",
        ]
        parts += request.parameters.keys.sorted().map { "\($0)=\(request.parameters[$0] ?? "")" }
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: services.vault.current.symmetricKey, info: Data("pcm-ops run request v1".utf8),
            outputByteCount: 32)
        return HMAC<SHA256>.authenticationCode(for: Data(parts.joined(separator: "\u{1F}").utf8), using: key)
            .map { String(format: "%02x", $0) }.joined()
    }
}
