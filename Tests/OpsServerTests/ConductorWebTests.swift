import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// `/conductor`: the chat page works with forms alone (post, redirect, get); cards carry what the live script needs.
@Suite("Conductor page")
struct ConductorWebTests {
    static func conversationPath(_ response: TestingHTTPResponse) -> String {
        (response.headers.first(name: .location) ?? "").components(separatedBy: "#").first ?? ""
    }

    @Test func anOperatorAsksConfirmsAndTheCardFollowsTheRun() async throws {
        try await TestApp.run(planner: ScriptedPlanner()) { test in
            // setup
            _ = try await ConductorAPITests.setUp(test)
            let browser = try await test.session("oscar")
            // act: ask
            let asked = try await test.send(
                .POST, "/conductor/messages", session: browser, form: ["text": "restart nginx on web"])
            #expect(asked.status == .seeOther, "\(asked.text)")
            let page = Self.conversationPath(asked)
            #expect(page.hasPrefix("/conductor?c="))
            let shown = try await test.send(.GET, page, session: browser)
            // assert: the plan as a card with preview, Confirm and Cancel
            #expect(shown.status == .ok)
            #expect(shown.text.contains("linux-service.restart"))
            #expect(shown.text.contains("destructive"))
            #expect(shown.text.contains("1 target: 1 linux"))
            #expect(shown.text.contains(#"action="/tools/linux-service/run""#))
            #expect(shown.text.contains(#"id="confirm""#))
            #expect(shown.text.contains(#"src="/js/conductor.js""#))
            #expect(!shown.text.contains("<script>"))
            // act: confirm
            let id = String(page.dropFirst("/conductor?c=".count))
            let confirmed = try await test.send(
                .POST, "/conductor/messages", session: browser, form: ["conversation": id, "text": "yes"])
            #expect(confirmed.status == .seeOther)
            let after = try await test.send(.GET, page, session: browser)
            #expect(after.text.contains("Launched run r-"))
            #expect(after.text.contains(#"class="run-live" data-run="r-"#))
            #expect(!after.text.contains(#"id="confirm""#))
            // clear it
            let cleared = try await test.send(.POST, "/conductor/\(id)/delete", session: browser, form: [:])
            #expect(cleared.status == .seeOther)
            let gone = try await test.send(.GET, page, session: browser)
            #expect(gone.status == .notFound)
        }
    }

    @Test func aViewerSeesThePlanWithoutConfirmAndAYesIsRefusedOnThePage() async throws {
        try await TestApp.run(planner: ScriptedPlanner()) { test in
            _ = try await ConductorAPITests.setUp(test)
            let browser = try await test.session("vera")
            let asked = try await test.send(
                .POST, "/conductor/messages", session: browser, form: ["text": "restart nginx on web"])
            let page = Self.conversationPath(asked)
            let shown = try await test.send(.GET, page, session: browser)
            #expect(shown.text.contains("linux-service.restart"))
            #expect(!shown.text.contains(#"id="confirm""#))
            #expect(shown.text.contains("Your role may plan but not launch"))
            let id = String(page.dropFirst("/conductor?c=".count))
            let yes = try await test.send(
                .POST, "/conductor/messages", session: browser, form: ["conversation": id, "text": "yes"])
            #expect(yes.status == .seeOther)
            let refused = try await test.send(.GET, page, session: browser)
            #expect(refused.text.contains("launching a plan needs the operator role"))
            #expect(try await Run.query(on: test.app.db).count() == 0)
        }
    }

    @Test func blankTextAndUnknownConversationsAreRefused() async throws {
        try await TestApp.run(planner: ScriptedPlanner()) { test in
            let browser = try await test.session("vera")
            let blank = try await test.send(.POST, "/conductor/messages", session: browser, form: ["text": "  "])
            #expect(blank.status == .seeOther)
            let page = try await test.send(.GET, "/conductor", session: browser)
            #expect(page.text.contains("text: must not be empty"))
            let unknown = try await test.send(
                .POST, "/conductor/messages", session: browser,
                form: ["conversation": UUID().uuidString, "text": "hello"])
            #expect(unknown.status == .notFound)
            let malformed = try await test.send(
                .POST, "/conductor/messages", session: browser, form: ["conversation": "/evil", "text": "hello"])
            #expect(malformed.status == .notFound)
            let missing = try await test.send(.GET, "/conductor?c=\(UUID())", session: browser)
            #expect(missing.status == .notFound)
            let noCSRF = try await test.send(
                .POST, "/conductor/messages", session: browser, csrf: .missing, form: ["text": "hello"])
            #expect(noCSRF.status == .forbidden)
        }
    }
}
