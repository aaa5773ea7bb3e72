import Foundation
import OpsConductor
import OpsCore
import Vapor

/// The long-lived services every handler needs, built once at start and kept in the application's storage.
public struct AppServices: Sendable {
    public let config: ServerConfig
    public let vault: Vault
    public let clock: any WallClock
    public let metrics: HTTPMetrics
    public let catalog: CatalogStore
    /// The process-wide cap on script invocations running at once.
    public let limiter: ConcurrencyLimiter
    /// SSH connections being set up at once (TCP, key exchange, authentication), across every run.
    /// Key exchange is CPU work on the event loops; a wave of hundreds at once would hold up the
    /// output of the scripts already running, so connections queue here instead (4 per core).
    public let handshakes: ConcurrencyLimiter
    /// One login reservation at a time in this process (``LoginThrottle``): on PostgreSQL a reservation holds a
    /// pooled connection while it waits for the database lock, and 15 waiting at once starved the pool.
    public let loginReservations = ConcurrencyLimiter(limit: 1)
    /// Live run events, for the web page, SSE and WebSocket subscribers of this process.
    public let runEvents: RunEventBus
    /// Runs this process is driving, to cancel them.
    public let activeRuns: ActiveRuns
    /// Who this process is, as recorded in the runs it owns.
    public let identity: ProcessIdentity
    /// AWS credentials, roles and clients (`/aws`, EC2, SSM).
    public let aws: AWSGateway
    /// Conductor's planner: the deterministic one, or the LLM-backed one that falls back to it.
    public let conductor: any ConductorPlanner
    /// One Conductor turn at a time per conversation.
    public let conversationTurns = ConversationTurns()

    public init(
        config: ServerConfig, vault: Vault, clock: any WallClock, metrics: HTTPMetrics, catalog: CatalogStore,
        aws: AWSGateway? = nil, conductor: (any ConductorPlanner)? = nil
    ) {
        self.config = config
        self.vault = vault
        self.clock = clock
        self.metrics = metrics
        self.catalog = catalog
        self.limiter = ConcurrencyLimiter(limit: config.globalConcurrency)
        self.handshakes = ConcurrencyLimiter(limit: 4 * ProcessInfo.processInfo.activeProcessorCount)
        self.runEvents = RunEventBus()
        self.activeRuns = ActiveRuns()
        self.identity = ProcessIdentity.current
        self.aws = aws ?? AWSGateway(processVariables: ProcessInfo.processInfo.environment)
        self.conductor = conductor ?? ConductorPlanners.make(config.conductor)
    }
}

extension Application {
    private struct ServicesKey: StorageKey {
        typealias Value = AppServices
    }

    /// Set by ``PCMOpsApp/configure(_:services:)``; reading it earlier is a programming error.
    public var services: AppServices {
        get {
            guard let services = storage[ServicesKey.self] else {
                preconditionFailure("PCMOpsApp.configure has not run")
            }
            return services
        }
        set { storage[ServicesKey.self] = newValue }
    }
}

extension Request {
    /// The application's services.
    public var services: AppServices { application.services }
}
