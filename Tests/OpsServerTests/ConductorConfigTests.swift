import Foundation
import OpsConductor
import Testing

@testable import OpsServer

/// `--conductor-llm-url` with PCMOPS_CONDUCTOR_LLM_MODEL and _KEY: off by default, refused when malformed or
/// without a model, and a server with an unreachable backend still answers through the deterministic planner.
@Suite("Conductor configuration")
struct ConductorConfigTests {
    @Test func offByDefault() throws {
        let config = try ConductorConfig.load(url: nil, environment: [:])
        #expect(config.llmURL == nil)
        #expect(ConductorPlanners.make(config) is DeterministicPlanner)
    }

    @Test func theFlagAndTheEnvironmentMakeTheLLMPlanner() throws {
        let environment = ["PCMOPS_CONDUCTOR_LLM_MODEL": "llama3.1", "PCMOPS_CONDUCTOR_LLM_KEY": "k-1"]
        let config = try ConductorConfig.load(url: "http://127.0.0.1:11434", environment: environment)
        #expect(config.llmURL?.absoluteString == "http://127.0.0.1:11434")
        #expect(config.llmModel == "llama3.1")
        #expect(config.llmKey == "k-1")
        let planner = try #require(ConductorPlanners.make(config) as? LLMConductorPlanner)
        #expect(planner.config.model == "llama3.1")
        #expect(planner.config.apiKey == "k-1")
        let fromEnvironment = try ConductorConfig.load(
            url: nil, environment: environment.merging(["PCMOPS_CONDUCTOR_LLM_URL": "https://llm.example"]) { $1 })
        #expect(fromEnvironment.llmURL?.host == "llm.example")
    }

    @Test(arguments: [
        ("ftp://x", ["PCMOPS_CONDUCTOR_LLM_MODEL": "m"], "must be an http:// or https:// URL"),
        ("not a url", ["PCMOPS_CONDUCTOR_LLM_MODEL": "m"], "must be an http:// or https:// URL"),
        ("http://127.0.0.1:11434", [:], "PCMOPS_CONDUCTOR_LLM_MODEL"),
        ("http://127.0.0.1:11434", ["PCMOPS_CONDUCTOR_LLM_MODEL": "  "], "PCMOPS_CONDUCTOR_LLM_MODEL"),
    ])
    func badSettingsAreRefusedNamingTheFlag(url: String, environment: [String: String], message: String) {
        #expect {
            _ = try ConductorConfig.load(url: url, environment: environment)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.field == "conductor-llm-url" && error.message.contains(message)
        }
    }

    @Test func anUnreachableBackendFallsBackToTheDeterministicPlanner() async throws {
        try await TestApp.run(configure: {
            $0.conductor = ConductorConfig(llmURL: URL(string: "http://127.0.0.1:1"), llmModel: "m")
        }) { test in
            // setup
            _ = try await ConductorPlannerContractTests.setUp(test)
            #expect(test.app.services.conductor is LLMConductorPlanner)
            // act
            let response = try await test.send(
                .POST, "/api/v1/conductor/plan", bearer: try await test.token("vera"),
                json: #"{"text":"restart nginx on web01"}"#)
            // assert
            let answer = try response.json()
            #expect(answer["kind"] as? String == "plan", "\(answer)")
            let explanation = answer["explanation"] as? [[String: Any]] ?? []
            #expect(explanation.contains { $0["kind"] as? String == "llm" }, "\(explanation)")
        }
    }
}
