import Fluent
import Foundation
import OpsCore
import Testing
import Vapor

@testable import OpsServer

/// `GET /api/v1/runs` is written by hand (``RunListJSON``): it must be the document the generic encoder writes.
@Suite("Runs list JSON")
struct RunListJSONTests {
    /// The generic encoding, configured as the API's (sorted keys, slashes as they are, RFC 3339 dates).
    static func generic(_ page: RunPageDTO) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(page), as: UTF8.self)
    }

    @Test func aSeededPageIsWrittenByteForByteAsTheGenericEncoderWritesIt() async throws {
        try await TestApp.run(fixtures: false) { test in
            _ = try await RunHistoryTests.seed(test, executions: 300)
            var filter = RunListFilter()
            filter.limit = 20
            for cursor in [nil, "first page"] {
                var page = try await RunHistoryTests.service(test).page(filter)
                if cursor == nil { page.nextCursor = nil }  // null, as on the last page
                #expect(RunListJSON.page(page) == (try Self.generic(page)))
                filter.cursor = page.nextCursor.map(RunCursor.init(publicID:))
            }
        }
    }

    @Test func hostileTextAndEveryOptionalSayTheSameAsTheGenericEncoding() throws {
        var run = RunDTO(Self.run(), progress: RunProgress(stepCount: 2, targets: [[.succeeded, .failed]]))
        run.parameters = [
            "quote": #"say "hi""#, "slash": "a/b\\c", "lines": "one\ntwo\r\tthree",
            "control": "\u{01}\u{1F}\u{08}\u{0C}",
            "unicode": "é ✓ 🚀", "empty": "", "Zed": "upper first",
        ]
        run.note = "a note with </script> and \"quotes\""
        run.change = "CHG0001"
        run.outputPrunedAt = Date(timeIntervalSince1970: 1_900_000_000.25)
        run.job = "nightly \"patch\" / </script>"
        run.jobVersion = 12
        run.rerunOf = "r-0000000001"
        for candidate in [run, RunDTO(Self.run(), progress: RunProgress(stepCount: 0))] {
            let page = RunPageDTO(runs: [candidate, candidate], nextCursor: "r-0123456789")
            let fast = try JSONSerialization.jsonObject(with: Data(RunListJSON.page(page).utf8)) as? NSDictionary
            let generic = try JSONSerialization.jsonObject(with: Data(try Self.generic(page).utf8)) as? NSDictionary
            #expect(fast != nil && fast == generic)
        }
    }

    /// The keys a run's origin adds (issue 16.3) sit where the generic encoder's sorted keys put them.
    @Test func aRunsJobAndRerunOfAreWrittenInTheGenericOrder() throws {
        var run = RunDTO(Self.run(), progress: RunProgress(stepCount: 1, targets: [[.succeeded]]))
        run.job = "nightly"
        run.jobVersion = 2
        run.rerunOf = "r-0000000001"
        let page = RunPageDTO(runs: [run], nextCursor: nil)
        #expect(RunListJSON.page(page) == (try Self.generic(page)))
    }

    static func run() -> Run {
        let run = Run()
        run.id = UUID()
        run.publicID = "r-abcdefghjk"
        run.tool = "testkit"
        run.action = "echo"
        run.parametersJSON = "{}"
        run.stepsJSON = #"[{"action":"echo","name":"Echo \"it\""},{"action":"b"}]"#
        run.requestedBy = "oscar"
        run.source = "api"
        run.status = "partially_failed"
        run.maxConcurrency = "10%"
        run.maxErrors = "0"
        run.targetCount = 1
        run.cancelRequested = false
        run.createdAt = Date(timeIntervalSince1970: 1_900_000_000.5)
        return run
    }

    @Test func theAPIAnswersFromTheFastPathAndRefusalsAsAlways() async throws {
        try await TestApp.run { test in
            _ = try await RunHistoryTests.seed(test, executions: 100)
            let token = try await test.token("vera")
            let listed = try await test.send(.GET, "/api/v1/runs?limit=3&status=succeeded", bearer: token)
            #expect(listed.status == .ok)
            #expect(listed.headers.contentType?.description.hasPrefix("application/json") == true)
            var filter = RunListFilter()
            filter.limit = 3
            filter.status = "succeeded"
            #expect(listed.text == (try Self.generic(try await RunHistoryTests.service(test).page(filter))))
            let unknown = try await test.send(.GET, "/api/v1/runs?cursor=r-0000000000", bearer: token)
            #expect(unknown.status == .notFound)
            #expect(unknown.headers.contentType?.description.contains("problem+json") == true)
            let bad = try await test.send(.GET, "/api/v1/runs?limit=0", bearer: token)
            #expect(bad.status == .badRequest)
            #expect(try await test.send(.GET, "/api/v1/runs").status == .unauthorized)
        }
    }
}
