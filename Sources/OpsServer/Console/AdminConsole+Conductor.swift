import Foundation
import OpsConductor
import OpsCore

/// Conductor on the command line (`pcm-ops conductor`): a chat held in memory, in this process, against the data
/// directory's database; runs it launches show in the web UI's history with source `conductor`.
extension AdminConsole {
    public func conductorChat() -> ConductorChat {
        ConductorChat(
            services: app.services,
            planInventory: { [database = app.db] in
                try await ConductorInventorySnapshot.load(on: database)
            },
            launcher: ConductorLauncher(runs: runService, audit: audit), actor: actor)
    }
}

/// One command line chat: remembers the planner's state between turns, as a stored conversation does.
public actor ConductorChat {
    /// What a message led to.
    public struct Turn: Sendable {
        public var reply: ConductorReply
        /// The runs it launched, to follow.
        public var submissions: [RunService.Submission]
    }

    let services: AppServices
    let planInventory: @Sendable () async throws -> ConductorInventory
    let launcher: ConductorLauncher
    let actor: AccountService.Actor
    private var state = ConversationState()

    init(
        services: AppServices, planInventory: @escaping @Sendable () async throws -> ConductorInventory,
        launcher: ConductorLauncher, actor: AccountService.Actor
    ) {
        self.services = services
        self.planInventory = planInventory
        self.launcher = launcher
        self.actor = actor
    }

    /// True while plans wait for "yes" or "no".
    public var awaitingConfirmation: Bool { !(state.awaitingConfirmation?.isEmpty ?? true) }

    /// Answers `text`; "yes" to plans awaiting confirmation launches them, each run's observers from `observers`
    /// (given the plan's `tool.action`).
    public func say(
        _ text: String, observers: @Sendable (String) -> [any RunObserver] = { _ in [] }
    ) async throws -> Turn {
        let text = try ConductorText.validate(text)
        let inventory = try await planInventory()
        switch await ConductorTurn.decide(
            text, state: state, planner: services.conductor, catalog: services.catalog.catalog, inventory: inventory)
        {
        case .reply(let reply, let next):
            state = next
            return Turn(reply: reply, submissions: [])
        case .launch(let plans):
            state.awaitingConfirmation = nil
            let outcome = try await launcher.launch(plans, conversation: nil, by: actor) { observers($0.reference) }
            let submissions: [RunService.Submission]
            if case .launched(let launched) = outcome { submissions = launched } else { submissions = [] }
            return Turn(reply: ConductorLauncher.reply(outcome, plans: plans), submissions: submissions)
        }
    }
}
