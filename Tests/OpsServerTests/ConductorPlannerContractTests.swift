import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// The API with the real planner (`DeterministicPlanner`, the server's default) over the built-in catalog: the
/// answer's exact shape, the seed scenario "update stationcontroller on CIS servers" from the question to a launched
/// Windows run, a group that gains a host between the plan and "yes", and a viewer who may plan but not launch.
/// Runs on SQLite and, with PCMOPS_TEST_DATABASE_URL, on PostgreSQL.
@Suite("Conductor API with the deterministic planner")
struct ConductorPlannerContractTests {
    static let source = #"\\fs01\deploy\sc\StationController.exe"#
    static let target = #"C:\StationController\StationController.exe"#

    /// web01, web02 (Linux, group `web`), cis-app01, cis-app02 (Windows over WinRM, group `cis-servers`, "CIS
    /// servers"), cis-app03 outside it. Nothing listens on their port: runs end fast.
    static func setUp(_ test: TestApp) async throws -> String {
        let admin = try await test.token("admin")
        for (name, windows) in [
            ("web01", false), ("web02", false), ("cis-app01", true), ("cis-app02", true), ("cis-app03", true),
        ] {
            let transport = windows ? #","transport":"winrm","os":"windows""# : ""
            let response = try await test.send(
                .POST, "/api/v1/targets", bearer: admin,
                json: #"{"name":"\#(name)","address":"127.0.0.1","port":1\#(transport)}"#)
            #expect(response.status == .created, "\(response.text)")
        }
        for body in [
            #"{"name":"web","description":"Web servers","members":["web01","web02"]}"#,
            #"{"name":"cis-servers","description":"CIS servers","members":["cis-app01","cis-app02"]}"#,
        ] {
            let response = try await test.send(.POST, "/api/v1/groups", bearer: admin, json: body)
            #expect(response.status == .created, "\(response.text)")
        }
        return admin
    }

    @Test func aPlanHasTheExactShape() async throws {
        try await TestApp.run { test in
            // setup
            _ = try await Self.setUp(test)
            let viewer = try await test.token("vera")
            // act
            let response = try await test.send(
                .POST, "/api/v1/conductor/plan", bearer: viewer, json: #"{"text":"restart nginx on web01 and web02"}"#)
            // assert
            #expect(response.status == .ok, "\(response.text)")
            let answer = try response.json()
            #expect(Set(answer.keys) == ["kind", "text", "confidence", "plans", "questions", "explanation"])
            #expect(answer["kind"] as? String == "plan")
            let confidence = try #require(answer["confidence"] as? Double)
            #expect(confidence > 0 && confidence <= 1)
            let plans = try #require(answer["plans"] as? [[String: Any]])
            #expect(plans.count == 1)
            let plan = try #require(plans.first)
            #expect(plan["tool"] as? String == "linux-service")
            #expect(plan["action"] as? String == "restart")
            #expect(plan["workflow"] is NSNull)
            #expect(plan["parameters"] as? [String: String] == ["unit": "nginx"])
            #expect(plan["targets"] as? [String] == ["web01", "web02"])
            #expect(plan["destructive"] as? Bool == true)
            #expect((answer["questions"] as? [Any])?.isEmpty == true)
            let refused = try await test.send(
                .POST, "/api/v1/conductor/plan", bearer: viewer, json: #"{"text":"rm -rf / on web01"}"#)
            #expect(try refused.json()["kind"] as? String == "refuse")
            #expect((try refused.json()["plans"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func theSeedScenarioFromTheQuestionToARunOnTheCISServers() async throws {
        try await TestApp.run { test in
            // setup
            let admin = try await Self.setUp(test)
            let oscar = try await test.token("oscar")
            let conversation = try await ConductorAPITests.newConversation(test, oscar)
            // act: the request, then the missing paths
            let asked = try await ConductorAPITests.say(
                test, conversation, "update stationcontroller on CIS servers", oscar
            ).json()
            #expect(asked["kind"] as? String == "clarify", "\(asked)")
            let fields = (asked["questions"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
            #expect(fields.contains("parameters.source_path"), "\(fields)")
            let planned = try await ConductorAPITests.say(
                test, conversation, "source \(Self.source) target \(Self.target)", oscar
            ).json()
            #expect(planned["kind"] as? String == "plan", "\(planned)")
            let plan = try #require((planned["plans"] as? [[String: Any]])?.first)
            #expect(plan["tool"] as? String == "windows-service-update")
            #expect(plan["workflow"] as? String == "update")
            #expect(plan["action"] is NSNull)
            #expect(plan["targets"] as? [String] == ["cis-app01", "cis-app02"])
            let parameters = plan["parameters"] as? [String: String] ?? [:]
            #expect(parameters["source_path"] == Self.source)
            #expect(parameters["target_path"] == Self.target)
            // the group gains a host before the yes: shown again, not launched
            let patched = try await test.send(
                .PATCH, "/api/v1/groups/cis-servers", bearer: admin,
                json: #"{"members":["cis-app01","cis-app02","cis-app03"]}"#)
            #expect(patched.status == .ok)
            let changed = try await ConductorAPITests.say(test, conversation, "yes", oscar).json()
            #expect(changed["run_id"] == nil, "\(changed)")
            #expect(changed["kind"] as? String == "plan")
            #expect(
                (changed["plans"] as? [[String: Any]])?.first?["targets"] as? [String] == [
                    "cis-app01", "cis-app02", "cis-app03",
                ])
            #expect(try await Run.query(on: test.app.db).count() == 0)
            // assert: the second yes launches what was shown the second time
            let launched = try await ConductorAPITests.say(test, conversation, "yes", oscar).json()
            let runID = try #require(launched["run_id"] as? String, "\(launched)")
            let run = try await RunsAPITests.waitForEnd(test, runID, oscar)
            #expect(run["source"] as? String == "conductor")
            #expect(run["tool"] as? String == "windows-service-update")
            #expect(run["target_count"] as? Int == 3)
            #expect((run["parameters"] as? [String: String])?["source_path"] == Self.source)
        }
    }

    @Test func aViewerPlansButAYesIsRefused() async throws {
        try await TestApp.run { test in
            _ = try await Self.setUp(test)
            let vera = try await test.token("vera")
            let conversation = try await ConductorAPITests.newConversation(test, vera)
            let planned = try await ConductorAPITests.say(test, conversation, "restart nginx on web01", vera).json()
            #expect(planned["kind"] as? String == "plan", "\(planned)")
            let yes = try await ConductorAPITests.say(test, conversation, "yes", vera)
            #expect(yes.status == .forbidden)
            #expect(yes.text.contains("needs the operator role"))
            #expect(try await Run.query(on: test.app.db).count() == 0)
            // an operator's yes in their own conversation launches
            let oscar = try await test.token("oscar")
            let theirs = try await ConductorAPITests.newConversation(test, oscar)
            _ = try await ConductorAPITests.say(test, theirs, "restart nginx on web01", oscar)
            let launched = try await ConductorAPITests.say(test, theirs, "yes", oscar).json()
            #expect(launched["run_id"] is String, "\(launched)")
        }
    }

    @Test func valuesAreTakenWhole() async throws {
        try await TestApp.run { test in
            _ = try await Self.setUp(test)
            let viewer = try await test.token("vera")
            let body = try JSONSerialization.data(withJSONObject: [
                "text": "update stationcontroller on CIS servers from \(Self.source) to \(Self.target)"
            ])
            let response = try await test.send(
                .POST, "/api/v1/conductor/plan", bearer: viewer, json: String(decoding: body, as: UTF8.self))
            let answer = try response.json()
            #expect(answer["kind"] as? String == "plan", "\(answer)")
            let parameters = (answer["plans"] as? [[String: Any]])?.first?["parameters"] as? [String: String]
            #expect(parameters?["source_path"] == Self.source)
            #expect(parameters?["target_path"] == Self.target)
        }
    }

    @Test func aMixedGroupGetsOnePlanAndOneRunPerPlatform() async throws {
        try await TestApp.run { test in
            // setup: a group with a Linux and a Windows member
            let admin = try await test.token("admin")
            for body in [
                #"{"name":"db01","address":"127.0.0.1","port":1}"#,
                #"{"name":"sql-win01","address":"127.0.0.1","port":1,"transport":"winrm","os":"windows"}"#,
            ] {
                let response = try await test.send(.POST, "/api/v1/targets", bearer: admin, json: body)
                #expect(response.status == .created, "\(response.text)")
            }
            let group = try await test.send(
                .POST, "/api/v1/groups", bearer: admin,
                json: #"{"name":"db-servers","description":"Database servers","members":["db01","sql-win01"]}"#)
            #expect(group.status == .created)
            let oscar = try await test.token("oscar")
            let conversation = try await ConductorAPITests.newConversation(test, oscar)
            // act
            let planned = try await ConductorAPITests.say(
                test, conversation, "restart postgresql on the db servers", oscar
            ).json()
            // assert
            let plans = try #require(planned["plans"] as? [[String: Any]], "\(planned)")
            let byTool = Dictionary(
                plans.map { ($0["tool"] as? String ?? "", $0["targets"] as? [String] ?? []) }
            ) { first, _ in first }
            #expect(byTool == ["linux-service": ["db01"], "windows-service": ["sql-win01"]], "\(plans)")
            let launched = try await ConductorAPITests.say(test, conversation, "yes", oscar).json()
            let runIDs = try #require(launched["run_ids"] as? [String], "\(launched)")
            #expect(runIDs.count == 2)
            #expect(launched["run_id"] as? String == runIDs.first)
            for id in runIDs {
                let run = try await RunsAPITests.waitForEnd(test, id, oscar)
                #expect(run["source"] as? String == "conductor")
                #expect(run["target_count"] as? Int == 1)
            }
        }
    }
}
