import Foundation
import Testing

@testable import OpsAWS

/// OpsAWS.SigV4 against botocore's SigV4Auth on random requests. Runs the committed fixture, or the file that
/// `PCMOPS_SIGV4_CROSSCHECK` names (generate one with `sigv4_botocore_crosscheck.py --count 5000`).
@Suite("SigV4 cross-check against botocore")
struct SigV4CrossCheckTests {
    @Test func everyCaseSignsExactlyAsBotocoreDid() throws {
        // setup
        let (fixture, source) = try SigV4CrossCheckFixture.load()
        let date = Date(timeIntervalSince1970: Double(fixture.epochSeconds))
        var mismatches: [String] = []
        // act
        for testCase in fixture.cases {
            let request = try testCase.request()
            let prepared = SigV4.prepare(
                request: request, credentials: testCase.credentials, date: date, options: testCase.options)
            let steps = SigV4.authorization(
                for: prepared, credentials: testCase.credentials, date: date, region: testCase.region,
                service: testCase.service, options: testCase.options)
            let signed = SigV4.sign(
                request: request, credentials: testCase.credentials, date: date, region: testCase.region,
                service: testCase.service, options: testCase.options)
            let added = Dictionary(
                uniqueKeysWithValues: ["x-amz-date", "x-amz-security-token", "x-amz-content-sha256"].compactMap {
                    name in signed.headerValues(name).isEmpty ? nil : (name, signed.headerValues(name))
                })
            if steps.canonicalRequest != testCase.expected.canonicalRequest {
                mismatches.append(
                    "\(testCase.name): canonical request\n--- botocore\n\(testCase.expected.canonicalRequest)"
                        + "\n--- OpsAWS\n\(steps.canonicalRequest)")
            } else if steps.stringToSign != testCase.expected.stringToSign {
                mismatches.append("\(testCase.name): string to sign differs")
            } else if signed.headerValues("Authorization") != [testCase.expected.authorization] {
                mismatches.append("\(testCase.name): Authorization differs")
            } else if added != testCase.expected.addedHeaders {
                mismatches.append("\(testCase.name): added headers \(added) != \(testCase.expected.addedHeaders)")
            }
        }
        // assert
        #expect(!fixture.cases.isEmpty, "no cases in \(source)")
        let summary =
            "\(mismatches.count) of \(fixture.cases.count) cases from \(source) (botocore \(fixture.botocoreVersion), "
            + "seed \(fixture.seed)) differ:\n\(mismatches.prefix(5).joined(separator: "\n\n"))"
        let allMatch = mismatches.isEmpty
        #expect(allMatch, Comment(rawValue: summary))
    }

    @Test func theCommittedFixtureExercisesTheTrickyInputs() throws {
        // setup
        let url = try #require(SigV4CrossCheckFixture.bundledURL)
        let fixture = try JSONDecoder().decode(SigV4CrossCheckFixture.self, from: Data(contentsOf: url))
        let cases = fixture.cases
        // assert: without these the cross-check could pass while proving little
        #expect(cases.count >= 30)
        #expect(cases.contains { $0.sessionToken != nil })
        #expect(cases.contains { $0.sessionToken == nil })
        #expect(cases.contains { $0.addContentSHA256 })
        #expect(cases.contains { !$0.bodyBase64.isEmpty })
        #expect(cases.contains { Set($0.query.map { $0.first ?? "" }).count < $0.query.count }, "a repeated query name")
        #expect(
            cases.contains { $0.query.contains { $0.first == "" || $0.last == "" } }, "an empty query name or value")
        #expect(cases.contains { $0.path.contains("%") }, "a pre-encoded path")
        #expect(cases.contains { $0.path.contains("..") || $0.path.contains("//") }, "a path to normalize")
        #expect(cases.contains { $0.path.unicodeScalars.contains { !$0.isASCII } }, "a non-ASCII path")
        #expect(
            cases.contains { $0.headers.contains { $0.last?.contains("  ") == true } }, "a header with a run of spaces")
        #expect(cases.contains { $0.headers.contains { $0.first == "X-Amz-Date" } }, "a stale X-Amz-Date")
    }
}
