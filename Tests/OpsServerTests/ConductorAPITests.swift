import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// `/api/v1/conductor`: the answer's exact shape, conversations with follow-ups, a confirmation bound to what was
/// shown, launching (operators only, source `conductor`, audited) and every refusal. The planner here is a double
/// (`ScriptedPlanner`); the suite runs on SQLite and, with PCMOPS_TEST_DATABASE_URL, on PostgreSQL.
@Suite("Conductor API")
struct ConductorAPITests {
    /// Targets t1 and t2 (nothing listens on their port: runs fail fast), group `web` holding t1.
    static func setUp(_ test: TestApp) async throws -> String {
        let admin = try await test.token("admin")
        for name in ["t1", "t2"] {
            let response = try await test.send(
                .POST, "/api/v1/targets", bearer: admin, json: #"{"name":"\#(name)","address":"127.0.0.1","port":1}"#)
            #expect(response.status == .created, "\(response.text)")
        }
        let group = try await test.send(
            .POST, "/api/v1/groups", bearer: admin, json: #"{"name":"web","description":"Web","members":["t1"]}"#)
        #expect(group.status == .created, "\(group.text)")
        return admin
    }

    static func say(_ test: TestApp, _ conversation: String, _ text: String, _ token: String) async throws
        -> TestingHTTPResponse
    {
        let body = try JSONSerialization.data(withJSONObject: ["text": text])
        return try await test.send(
            .POST, "/api/v1/conductor/conversations/\(conversation)/messages", bearer: token,
            json: String(decoding: body, as: UTF8.self))
    }

    static func newConversation(_ test: TestApp, _ token: String) async throws -> String {
        let created = try await test.send(.POST, "/api/v1/conductor/conversations", bearer: token)
        #expect(created.status == .created, "\(created.text)")
        return try #require(try created.json()["id"] as? String)
    }

    @Test func aViewerPlansAndTheAnswerHasTheContractShape() async throws {
        try await TestApp.run(planner: ScriptedPlanner()) { test in
            // setup
            _ = try await Self.setUp(test)
            let viewer = try await test.token("vera")
            // act
            let response = try await test.send(
                .POST, "/api/v1/conductor/plan", bearer: viewer, json: #"{"text":"restart nginx on web"}"#)
            // assert
            #expect(response.status == .ok, "\(response.text)")
            let answer = try response.json()
            #expect(Set(answer.keys) == ["kind", "text", "confidence", "plans", "questions", "explanation"])
            #expect(answer["kind"] as? String == "plan")
            #expect(answer["confidence"] as? Double == 0.9)
            let plan = try #require((answer["plans"] as? [[String: Any]])?.first)
            #expect(plan["tool"] as? String == "linux-service")
            #expect(plan["action"] as? String == "restart")
            #expect(plan["workflow"] is NSNull)
            #expect(plan["parameters"] as? [String: String] == ["unit": "nginx"])
            #expect(plan["targets"] as? [String] == ["t1"])
            #expect(plan["destructive"] as? Bool == true)
            // Nothing is stored and nothing launched.
            let runs = try await test.send(.GET, "/api/v1/runs", bearer: viewer).json()
            #expect((runs["runs"] as? [Any])?.isEmpty == true)
            let refused = try await test.send(
                .POST, "/api/v1/conductor/plan", bearer: viewer, json: #"{"text":"rm -rf /"}"#)
            #expect(try refused.json()["kind"] as? String == "refuse")
        }
    }

    @Test(arguments: [
        (#"{"text":""}"#, "text: must not be empty"),
        (#"{"text":" \n\t\u3000"}"#, "text: must not be empty"),
        (#"{"text":"restart\u0000nginx"}"#, "text: must not contain NUL"),
        (#"{"text":"\#(String(repeating: "a", count: 2001))"}"#, "text: must be at most 2000 characters"),
        (#"{}"#, "text"),
        (#"{"text":"x","extra":1}"#, "extra"),
        (#"{"text":5}"#, "text"),
        (#"not json"#, "must be a JSON object"),
    ])
    func badTextIsA400NamingIt(body: String, message: String) async throws {
        try await TestApp.run(planner: ScriptedPlanner()) { test in
            let viewer = try await test.token("vera")
            let conversation = try await Self.newConversation(test, viewer)
            for path in ["/api/v1/conductor/plan", "/api/v1/conductor/conversations/\(conversation)/messages"] {
                let response = try await test.send(.POST, path, bearer: viewer, json: body)
                #expect(response.status == .badRequest, "\(path) \(body): \(response.text)")
                #expect(response.text.contains(message), "\(response.text)")
            }
            // A refused message is not stored.
            let history = try await test.send(.GET, "/api/v1/conductor/conversations/\(conversation)", bearer: viewer)
            #expect((try history.json()["messages"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func anOversizedBodyIs413AndAnotherContentTypeIs415() async throws {
        try await TestApp.run(planner: ScriptedPlanner()) { test in
            let viewer = try await test.token("vera")
            let conversation = try await Self.newConversation(test, viewer)
            for path in ["/api/v1/conductor/plan", "/api/v1/conductor/conversations/\(conversation)/messages"] {
                let big = #"{"text":"\#(String(repeating: "a", count: 70_000))"}"#
                let tooLarge = try await test.send(.POST, path, bearer: viewer, json: big)
                #expect(tooLarge.status == .payloadTooLarge, "\(path)")
                var headers = HTTPHeaders()
                headers.contentType = .plainText
                let plain = try await test.send(
                    .POST, path, bearer: viewer, headers: headers, body: "restart nginx on web")
                #expect(plain.status == .unsupportedMediaType, "\(path): \(plain.text)")
            }
        }
    }

    @Test func withoutSignInEverythingIs401() async throws {
        try await TestApp.run(planner: ScriptedPlanner()) { test in
            let plan = try await test.send(.POST, "/api/v1/conductor/plan", json: #"{"text":"restart nginx on web"}"#)
            #expect(plan.status == .unauthorized)
            let list = try await test.send(.GET, "/api/v1/conductor/conversations")
            #expect(list.status == .unauthorized)
        }
    }

    @Test func followUpsFillTheGapsAndAChangedPlanIsAskedAgain() async throws {
        try await TestApp.run(planner: ScriptedPlanner()) { test in
            // setup
            let admin = try await Self.setUp(test)
            let oscar = try await test.token("oscar")
            let conversation = try await Self.newConversation(test, oscar)
            // act: a request missing the service, then the service
            let first = try await Self.say(test, conversation, "restart on web", oscar)
            let question = try #require((try first.json()["questions"] as? [[String: Any]])?.first)
            #expect(question["field"] as? String == "parameters.unit")
            let planned = try await Self.say(test, conversation, "nginx", oscar).json()
            #expect(planned["kind"] as? String == "plan")
            #expect(planned["message_id"] is String)
            #expect(planned["run_id"] == nil)
            // the group gains a host between the plan and the yes
            let patched = try await test.send(
                .PATCH, "/api/v1/groups/web", bearer: admin, json: #"{"members":["t1","t2"]}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            let changed = try await Self.say(test, conversation, "yes", oscar).json()
            // assert: shown again, not launched
            #expect(changed["kind"] as? String == "plan")
            #expect(changed["run_id"] == nil)
            #expect(((changed["plans"] as? [[String: Any]])?.first?["targets"] as? [String]) == ["t1", "t2"])
            let noRuns = try await test.send(.GET, "/api/v1/runs", bearer: oscar).json()
            #expect((noRuns["runs"] as? [Any])?.isEmpty == true)
            // the second yes launches what was shown the second time
            let launched = try await Self.say(test, conversation, "yes", oscar).json()
            let runID = try #require(launched["run_id"] as? String)
            #expect(launched["run_ids"] as? [String] == [runID])
            let run = try await RunsAPITests.waitForEnd(test, runID, oscar)
            #expect(run["source"] as? String == "conductor")
            #expect(run["requested_by"] as? String == "oscar")
            #expect(run["target_count"] as? Int == 2)
            #expect((run["parameters"] as? [String: String])?["unit"] == "nginx")
            let stored = try await Run.query(on: test.app.db).filter(\.$publicID == runID).first()
            let link = try await RunConversationLink.find(stored?.id, on: test.app.db)
            #expect(link?.conversationID?.uuidString.lowercased() == conversation)
            let audit = try await test.send(.GET, "/api/v1/audit?action=conductor.launch", bearer: admin)
            #expect(audit.text.contains("run:\(runID)"))
            #expect(audit.text.contains(conversation))
            // the history has every turn in order, the launch on the last answer
            let history = try await test.send(.GET, "/api/v1/conductor/conversations/\(conversation)", bearer: oscar)
                .json()
            let messages = try #require(history["messages"] as? [[String: Any]])
            #expect(
                messages.map { $0["role"] as? String }
                    == Array(repeating: ["user", "assistant"], count: 4).flatMap { $0 })
            #expect(messages.map { $0["seq"] as? Int } == Array(1...8))
            #expect(messages.last?["run_id"] as? String == runID)
            #expect(history["awaiting_confirmation"] as? Bool == false)
            #expect(history["title"] as? String == "restart on web")
            // a yes now is not a confirmation of anything: nothing launches again
            let again = try await Self.say(test, conversation, "yes", oscar).json()
            #expect(again["run_id"] == nil)
        }
    }

    @Test func noDropsThePlan() async throws {
        try await TestApp.run(planner: ScriptedPlanner()) { test in
            _ = try await Self.setUp(test)
            let oscar = try await test.token("oscar")
            let conversation = try await Self.newConversation(test, oscar)
            _ = try await Self.say(test, conversation, "restart nginx on web", oscar)
            let dropped = try await Self.say(test, conversation, "no", oscar).json()
            #expect(dropped["run_id"] == nil)
            #expect((dropped["text"] as? String)?.contains("nothing was launched") == true)
            let summary = try await test.send(.GET, "/api/v1/conductor/conversations", bearer: oscar)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(summary.text.utf8)) as? [[String: Any]])
            #expect(rows.first?["awaiting_confirmation"] as? Bool == false)
            let yes = try await Self.say(test, conversation, "yes", oscar).json()
            #expect(yes["run_id"] == nil)
            let runs = try await test.send(.GET, "/api/v1/runs", bearer: oscar).json()
            #expect((runs["runs"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func aViewerCanPlanButNotLaunch() async throws {
        try await TestApp.run(planner: ScriptedPlanner()) { test in
            // setup
            _ = try await Self.setUp(test)
            let vera = try await test.token("vera")
            let conversation = try await Self.newConversation(test, vera)
            let planned = try await Self.say(test, conversation, "restart nginx on web", vera).json()
            #expect(planned["kind"] as? String == "plan")
            // act
            let yes = try await Self.say(test, conversation, "yes", vera)
            // assert
            #expect(yes.status == .forbidden)
            #expect(yes.text.contains("launching a plan needs the operator role; you are a viewer"))
            let runs = try await test.send(.GET, "/api/v1/runs", bearer: vera).json()
            #expect((runs["runs"] as? [Any])?.isEmpty == true)
            let history = try await test.send(.GET, "/api/v1/conductor/conversations/\(conversation)", bearer: vera)
                .json()
            #expect(history["awaiting_confirmation"] as? Bool == true)
            #expect((history["messages"] as? [Any])?.count == 2)
        }
    }

    @Test func conversationsAreTheirOwnersOnly() async throws {
        try await TestApp.run(planner: ScriptedPlanner()) { test in
            // setup
            _ = try await Self.setUp(test)
            let oscar = try await test.token("oscar")
            let vera = try await test.token("vera")
            let mine = try await Self.newConversation(test, oscar)
            _ = try await Self.say(test, mine, "restart nginx on web", oscar)
            // act / assert
            let list = try await test.send(.GET, "/api/v1/conductor/conversations", bearer: vera)
            #expect(list.text == "[]")
            for (method, path) in [
                (HTTPMethod.GET, "/api/v1/conductor/conversations/\(mine)"),
                (.DELETE, "/api/v1/conductor/conversations/\(mine)"),
            ] {
                let response = try await test.send(method, path, bearer: vera)
                #expect(response.status == .notFound, "\(method) \(path)")
                #expect(response.text.contains("no conversation"))
            }
            let post = try await Self.say(test, mine, "yes", vera)
            #expect(post.status == .notFound)
            let unknown = try await test.send(.GET, "/api/v1/conductor/conversations/\(UUID())", bearer: oscar)
            #expect(unknown.status == .notFound)
            let malformed = try await test.send(.GET, "/api/v1/conductor/conversations/nope", bearer: oscar)
            #expect(malformed.status == .badRequest)
            #expect(malformed.text.contains("id: not a conversation id"))
            // the owner clears it
            let deleted = try await test.send(.DELETE, "/api/v1/conductor/conversations/\(mine)", bearer: oscar)
            #expect(deleted.status == .noContent)
            let gone = try await test.send(.GET, "/api/v1/conductor/conversations/\(mine)", bearer: oscar)
            #expect(gone.status == .notFound)
        }
    }

    @Test func twoYesesAtOnceLaunchOnce() async throws {
        try await TestApp.run(planner: ScriptedPlanner()) { test in
            _ = try await Self.setUp(test)
            let oscar = try await test.token("oscar")
            let conversation = try await Self.newConversation(test, oscar)
            _ = try await Self.say(test, conversation, "restart nginx on web", oscar)
            async let first = Self.say(test, conversation, "yes", oscar)
            async let second = Self.say(test, conversation, "yes", oscar)
            let answers = try await [first, second].map { try $0.json() }
            #expect(answers.compactMap { $0["run_id"] as? String }.count == 1)
            let runs = try await Run.query(on: test.app.db).count()
            #expect(runs == 1)
        }
    }
}
