import OpsCore
import Testing

@testable import OpsConductor

@Suite("Conductor API")
struct ConductorAPITests {
    @Test func aPlanNamesItsReference() {
        let plan = ConductorPlan(
            tool: "linux-service", action: "restart", workflow: nil, parameters: ["unit": "nginx"],
            targets: ["web01"], destructive: true, platform: .linux)
        #expect(plan.reference == "linux-service.restart")
    }
}
