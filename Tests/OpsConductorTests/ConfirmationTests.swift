import OpsCore
import Testing

@testable import OpsConductor

@Suite("Conductor confirmation")
struct ConfirmationTests {
    var world: ConductorWorld

    init() throws { world = try ConductorWorld() }

    private func confirm(_ text: String, _ state: ConversationState, _ world: ConductorWorld) -> ConductorConfirmation {
        world.planner.reconfirm(text, state: state, catalog: world.catalog, inventory: world.inventory)
    }

    @Test(arguments: ["yes", "y", "Yes!", "go ahead", "ok, do it", "yes please", "confirm", "👍", "launch it"])
    func yesLaunchesTheShownPlans(_ reply: String) {
        let (answer, state) = world.converse(["restart nginx on web-servers"])
        #expect(confirm(reply, state, world) == .launch(answer.plans))
    }

    @Test(arguments: ["no", "cancel", "nope, never mind", "don't", "abort"])
    func noDeclines(_ reply: String) {
        let (_, state) = world.converse(["restart nginx on web-servers"])
        #expect(confirm(reply, state, world) == .declined)
    }

    @Test(arguments: ["yes but only on web02", "restart sshd instead", "why?", "", "yes no"])
    func anythingElseIsNotAConfirmation(_ reply: String) {
        let (_, state) = world.converse(["restart nginx on web-servers"])
        #expect(confirm(reply, state, world) == .notAConfirmation)
    }

    @Test func nothingAwaitingIsNotAConfirmation() {
        let (_, state) = world.converse(["restart on web01"])
        #expect(state.awaitingConfirmation == nil)
        #expect(confirm("yes", state, world) == .notAConfirmation)
    }

    @Test func aGroupThatGainedAHostAsksAgain() {
        // setup
        let (shown, state) = world.converse(["restart nginx on web-servers"])
        var changed = world
        changed.add(
            ConductorTarget(
                name: "web05", os: .linux, transport: "ssh", tags: ["env": "prod", "role": "web"],
                groups: ["web-servers"]))
        // act
        let reply = confirm("yes", state, changed)
        // assert
        guard case .changed(let answer) = reply else {
            Issue.record("expected changed, got \(reply)")
            return
        }
        #expect(answer.kind == .plan)
        #expect(answer.plans.first?.targets == (shown.plans.first?.targets ?? []) + ["web05"])
    }

    @Test func aChangedTagAsksAgain() {
        let (_, state) = world.converse(["restart nginx on the staging web servers"])
        var changed = world
        if let index = changed.inventory.targets.firstIndex(where: { $0.name == "web-stg02" }) {
            changed.inventory.targets[index].tags["env"] = "prod"
        }
        guard case .changed(let answer) = confirm("yes", state, changed) else {
            Issue.record("expected changed")
            return
        }
        #expect(answer.plans.first?.targets == ["web-stg01"])
    }

    @Test func aChangedToolAsksAgain() throws {
        // setup: the unit parameter of linux-service no longer accepts dots
        let (_, state) = world.converse(["restart nginx.service on web01"])
        let tools = world.catalog.tools.map { tool -> ToolDefinition in
            var tool = tool
            guard tool.id == "linux-service" else { return tool }
            for index in tool.actions.indices {
                for spec in tool.actions[index].parameters.indices
                where tool.actions[index].parameters[spec].name == "unit" {
                    tool.actions[index].parameters[spec].pattern = "^[a-z]+$"
                }
            }
            return tool
        }
        // act
        let reply = world.planner.reconfirm(
            "yes", state: state, catalog: Catalog(tools: tools), inventory: world.inventory)
        // assert
        guard case .changed(let answer) = reply else {
            Issue.record("expected changed, got \(reply)")
            return
        }
        #expect(answer.kind == .clarify)
        #expect(answer.questions.first?.field == "parameters.unit")
    }

    @Test func plansWithoutAFrameAreCheckedAgainstTheCatalogAndInventory() {
        // setup: plans stored by other code, without the planner's frame
        let (answer, _) = world.converse(["restart nginx on web01 and web02"])
        let state = ConversationState(awaitingConfirmation: answer.plans, frame: nil)
        var smaller = world
        smaller.inventory.targets.removeAll { $0.name == "web02" }
        // act, assert
        #expect(confirm("yes", state, world) == .launch(answer.plans))
        guard case .changed(let changed) = confirm("yes", state, smaller) else {
            Issue.record("expected changed")
            return
        }
        #expect(changed.plans.first?.targets == ["web01"])
        let unknown = ConversationState(
            awaitingConfirmation: [
                ConductorPlan(
                    tool: "gone", action: "x", workflow: nil, parameters: [:], targets: ["web01"], destructive: false,
                    platform: .linux)
            ])
        guard case .changed(let refused) = confirm("yes", unknown, world) else {
            Issue.record("expected changed")
            return
        }
        #expect(refused.kind == .refuse)
    }

    @Test func theAsyncProtocolAgreesWithTheSynchronousCalls() async {
        let planner: any ConductorPlanner = world.planner
        let (answer, state) = await planner.answer(
            "restart nginx on web01", state: nil, catalog: world.catalog, inventory: world.inventory)
        #expect(answer.kind == .plan)
        #expect(
            await planner.confirm("yes", state: state, catalog: world.catalog, inventory: world.inventory)
                == .launch(answer.plans))
    }
}
