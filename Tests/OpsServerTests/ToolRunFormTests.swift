import Foundation
import OpsCore
import Testing
import Vapor

@testable import OpsServer

/// The run form and its preview (issue 16.6): Back keeps what was entered, counts read as English, patterns are
/// valid for browsers.
@Suite("Run form and preview")
struct ToolRunFormTests {
    @Test func previewsBackReturnsToTheFormAsItWasFilledIn() async throws {
        try await TestApp.run { test in
            _ = try await RunsAPITests.setUp(test, targets: 2)
            let oscar = try await test.session("oscar")
            let form = [
                "run": "action:disk", "params[threshold]": "85", "targets[]": "t2", "intent": "preview",
                "max_concurrency": "3", "selector": "env=prod",
            ]
            // act: the preview, then its Back button (the same fields, intent=edit)
            let preview = try await test.send(.POST, "/tools/system/run", session: oscar, form: form)
            #expect(preview.text.contains(#"id="back-button""#) && preview.text.contains("formnovalidate"))
            var back = form
            back["intent"] = "edit"
            let page = try await test.send(.POST, "/tools/system/run", session: oscar, form: back)
            // assert: the form, filled in, nothing run
            #expect(page.status == .ok)
            #expect(page.text.contains(#"id="run-form""#))
            #expect(page.text.contains(#"value="action:disk" checked"#))
            #expect(page.text.contains(#"name="params[threshold]" value="85""#))
            #expect(page.text.contains(#"value="t2" checked"#))
            #expect(!page.text.contains(#"value="t1" checked"#))
            #expect(page.text.contains(#"name="max_concurrency" value="3""#))
            #expect(page.text.contains(#"name="selector" value="env=prod""#))
            #expect(try await Run.query(on: test.app.db).count() == 0)
        }
    }

    @Test func countsReadAsEnglish() async throws {
        try await TestApp.run { test in
            _ = try await RunsAPITests.setUp(test, targets: 2)
            let oscar = try await test.session("oscar")
            let form = ["run": "action:disk", "params[threshold]": "85", "targets[]": "t1", "intent": "preview"]
            let preview = try await test.send(.POST, "/tools/system/run", session: oscar, form: form)
            #expect(preview.text.contains("1 target, 1 step, max concurrency"))
            let tools = try await test.send(.GET, "/tools", session: oscar)
            #expect(!tools.text.contains(" 1 actions") && !tools.text.contains(" 1 workflows"))
            #expect(
                AdminAuditView.pageLine(total: 12, page: 999, pages: 2)
                    == "12 entries · no page 999: the last is page 2")
            #expect(AdminAuditView.pageLine(total: 1, page: 1, pages: 1) == "1 entry · page 1 of 1")
        }
    }

    @Test func everyPatternOnTheFormIsWrittenForBrowsers() async throws {
        try await TestApp.run { test in
            _ = try await RunsAPITests.setUp(test, targets: 1)
            let oscar = try await test.session("oscar")
            for tool in test.app.services.catalog.catalog.tools {
                let page = try await test.send(.GET, "/tools/\(tool.id)", session: oscar)
                for spec in tool.parameters + tool.actions.flatMap(\.parameters) {
                    guard let pattern = spec.pattern, let attribute = BrowserPattern.convert(pattern).attribute
                    else { continue }
                    let escaped = attribute.replacingOccurrences(of: "&", with: "&amp;")
                        .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "<", with: "&lt;")
                        .replacingOccurrences(of: ">", with: "&gt;")
                    #expect(
                        page.text.contains(#"pattern="\#(escaped)""#)
                            || page.text.contains(#"pattern="\#(attribute)""#), "\(tool.id).\(spec.name)")
                }
            }
        }
    }

    @Test func theFormOffersALiveCountAndInlineLimits() async throws {
        try await TestApp.run { test in
            _ = try await RunsAPITests.setUp(test, targets: 1)
            let page = try await test.send(.GET, "/tools/system", session: try await test.session("oscar"))
            #expect(page.text.contains(#"id="match-count""#))
            #expect(page.text.contains(#"class="limit""#))
            #expect(page.text.contains(#"data-tags=""#))
        }
    }
}
