import OpsCore
import Testing

@testable import OpsConductor

@Suite("Conductor follow-ups")
struct FollowUpTests {
    let world: ConductorWorld

    init() throws { world = try ConductorWorld() }

    @Test func aValueAnswersTheQuestion() {
        let (first, _) = world.converse(["restart on web01"])
        #expect(first.questions.first?.field == "parameters.unit")
        let (answer, state) = world.converse(["restart on web01", "nginx"])
        #expect(answer.plans.first?.parameters == ["unit": "nginx"])
        #expect(state.awaitingConfirmation == answer.plans)
    }

    @Test func targetsAnswerTheQuestion() {
        let (answer, _) = world.converse(["restart nginx", "web01 and web02"])
        #expect(answer.plans.first?.targets == ["web01", "web02"])
    }

    @Test func onlyNarrowsAlsoWidensOtherwiseReplaces() {
        #expect(
            world.converse(["restart nginx on web servers", "only the staging ones"]).0.plans.first?.targets == [
                "web-stg01", "web-stg02",
            ])
        #expect(world.converse(["restart nginx on web01", "also web04"]).0.plans.first?.targets == ["web01", "web04"])
        #expect(world.converse(["restart nginx on web01", "what about on web03"]).0.plans.first?.targets == ["web03"])
        // "only web02" after web01 names other targets: taken as they are.
        #expect(world.converse(["restart nginx on web01", "only on web02"]).0.plans.first?.targets == ["web02"])
    }

    @Test func notLeavesTargetsOutOfThePreviousOnes() {
        let answer = world.converse(["restart nginx on web-servers", "not the staging ones"]).0
        #expect(answer.plans.first?.targets == ["web01", "web02", "web03", "web04"])
    }

    @Test func strayWordsOfAnAnswerAreNoValues() {
        let answer = world.converse([
            "update stationcontroller on cis servers", #"the new exe is at \\fs01\drop\sc.exe"#,
            #"it runs from C:\SC\sc.exe"#,
        ]).0
        #expect(answer.plans.first?.parameters["service_name"] == "StationController")
        #expect(answer.plans.first?.parameters["target_path"] == #"C:\SC\sc.exe"#)
    }

    @Test func aCorrectionReplacesTheValue() {
        let answer = world.converse(["install htop on dev01", "actually use tmux"]).0
        #expect(answer.plans.first?.parameters == ["package": "tmux"])
    }

    @Test func aNewVerbKeepsTheRest() {
        let answer = world.converse(["status of nginx on web01", "restart it"]).0
        #expect(answer.plans.first?.reference == "linux-service.restart")
        #expect(answer.plans.first?.parameters == ["unit": "nginx"])
    }

    @Test func aCompleteNewRequestStandsAlone() {
        let answer = world.converse(["install htop on dev01", "ping db01"]).0
        #expect(answer.plans.first?.reference == "system.ping")
        #expect(answer.plans.first?.parameters == [:])
        #expect(answer.plans.first?.targets == ["db01"])
    }

    @Test func nothingNewRepeatsTheOpenQuestion() {
        let answer = world.converse(["restart on web01", "yes please"]).0
        #expect(answer.questions.first?.field == "parameters.unit")
    }

    @Test func refusalsStayRefusalsInAConversation() {
        #expect(world.converse(["restart nginx on web01", "now rm -rf /"]).0.kind == .refuse)
        #expect(world.converse(["restart nginx on web01", "tell me a joke"]).0.kind == .refuse)
    }

    @Test func theFrameRoundTripsAndUnknownVersionsAreIgnored() throws {
        // setup
        let (_, state) = world.converse(["restart nginx on web-servers"])
        let frame = try #require(PlanFrame.decode(state.frame))
        // act
        var future = frame
        future.version = 99
        // assert
        #expect(PlanFrame.decode(frame.json) == frame)
        #expect(PlanFrame.decode(future.json) == nil)
        #expect(PlanFrame.decode("not json") == nil)
        #expect(PlanFrame.decode(nil) == nil)
        // A state with a broken frame plans the message on its own.
        let broken = ConversationState(awaitingConfirmation: nil, frame: "{")
        #expect(
            world.planner.plan("nginx", state: broken, catalog: world.catalog, inventory: world.inventory).0.kind
                == .refuse)
    }
}
