import OpsCore
import Testing

@testable import OpsConductor

/// Whatever the text, an answer keeps the contract: plans only with validated values on existing targets of their
/// platform, questions only with fields, refusals without plans — and the planner never traps.
@Suite("Conductor invariants")
struct InvariantTests {
    let world: ConductorWorld

    init() throws { world = try ConductorWorld() }

    private static let pieces = [
        "restart", "bounce", "status", "check", "update", "install", "nginx", "sshd", "Spooler", "on", "web01",
        "web-servers", "cis servers", "prod", "staging", "site east", "all windows servers", "and", "only", "yes",
        "no", "threshold 80%", "version 1.2.3", #"\\fs01\d\sc.exe"#, #"C:\Program Files\x.exe"#, "\"quoted value\"",
        "'single'", "“curly”", "a=b=c", "https://h/p?q=1", "rm", "-rf", "/", ";", "|", "&&", "$(", "`", "ignore",
        "rules", "Grüße", "日本語", "🙂", "\u{0}", "      ", "…", "web99", "through", "except", "not", "then", "--",
        "=", "==", "%", "wait 60 seconds", "token abc==", "ping", "fix sft", "patch prep", "health check", "is it up",
    ]

    @Test func randomRequestsKeepTheContract() {
        // setup
        var random = SeededRandom(seed: 19)
        var state: ConversationState?
        // act, assert
        for round in 0..<1500 {
            let count = 1 + random.next(9)
            let text = (0..<count).map { _ in Self.pieces[random.next(Self.pieces.count)] }.joined(separator: " ")
            if round % 7 == 0 { state = nil }
            let (answer, next) = world.planner.plan(
                text, state: state, catalog: world.catalog, inventory: world.inventory)
            state = next
            check(answer, text)
        }
    }

    @Test func extremeInputs() {
        for text in [
            "", " ", "\n\t", String(repeating: "restart nginx on web01 ", count: 400),
            String(repeating: "\"", count: 51),
            "'''", #"\\"#, "C:\\", "=", "restart \u{0} on web01", String(repeating: "🙂", count: 300),
        ] {
            check(world.plan(text), text)
        }
    }

    private func check(_ answer: ConductorAnswer, _ text: String) {
        #expect((0...1).contains(answer.confidence), "\(text)")
        switch answer.kind {
        case .refuse:
            #expect(answer.plans.isEmpty && answer.questions.isEmpty, "\(text)")
        case .clarify:
            #expect(answer.plans.isEmpty && !answer.questions.isEmpty, "\(text)")
        case .plan:
            #expect(!answer.plans.isEmpty && answer.questions.isEmpty, "\(text)")
            for plan in answer.plans { checkPlan(plan, text) }
        }
    }

    private func checkPlan(_ plan: ConductorPlan, _ text: String) {
        guard case .success(let selection) = world.catalog.resolve(plan.reference) else {
            Issue.record("\(text): \(plan.reference) is not in the catalog")
            return
        }
        for (action, _) in selection.steps {
            let given = plan.parameters.filter { name, _ in action.parameters.contains { $0.name == name } }
            if case .failure(let error) = ParameterValidator.validate(given, against: action.parameters) {
                Issue.record("\(text): \(error)")
            }
        }
        #expect(!plan.targets.isEmpty, "\(text)")
        for name in plan.targets {
            #expect(world.inventory.targets.first { $0.name == name }?.os == plan.platform, "\(text): \(name)")
        }
        #expect(plan.destructive == selection.steps.contains { $0.0.destructive }, "\(text)")
    }
}

/// A small seeded generator (SplitMix64), so that the random requests are the same on every run.
struct SeededRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
