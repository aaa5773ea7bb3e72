import Foundation
import OpsCore
import OpsTestSupport
import Testing

/// Parameter patterns as HTML `pattern` attributes (issue 16.6): browsers compile them with JavaScript's `v` flag.
@Suite("Browser patterns")
struct BrowserPatternTests {
    @Test(arguments: [
        ("^[A-Za-z0-9@._:-]+$", "[A-Za-z0-9@._:\\-]+"),
        ("^[a-z]+$", "[a-z]+"),
        ("[A-Za-z0-9_. -]+", "[A-Za-z0-9_. \\-]+"),
        ("^[^\\\\/:*?\"<>|]+$", "[^\\\\\\/:*?\"<>\\|]+"),
        ("a\\-b\\_c", "a-b_c"),
        ("[..]", "[\\..]"),
        ("x{2,3}", "x{2,3}"),
        ("a{b}", "a\\{b\\}"),
        ("(?:ab)+?", "(?:ab)+?"),
        ("(?P<v>[0-9]+)", "(?<v>[0-9]+)"),
        ("\\d+\\.\\d+", "\\d+\\.\\d+"),
        ("[\\x00-\\x1f]", "[\\x00-\\x1f]"),
        ("[-a]", "[\\-a]"),
        ("[]a]", "[\\]a]"),
        ("price\\$$", "price\\$"),
    ])
    func patternsAreRewrittenForTheVFlag(pattern: String, expected: String) {
        #expect(BrowserPattern.convert(pattern) == .attribute(expected))
    }

    @Test(arguments: [
        ("(?i)abc", "inline options"),
        ("a++", "possessive"),
        ("(?>a)", "atomic"),
        ("[[:alpha:]]", "POSIX"),
        ("\\Aabc\\z", "\\A has no JavaScript form"),
        ("[a-z--[aeiou]]", "subtraction"),
        ("[a&&b]", "set operations"),
    ])
    func constructsWithoutAJavaScriptFormAreNamed(pattern: String, reason: String) {
        guard case .unsupported(let text) = BrowserPattern.convert(pattern) else {
            Issue.record("\(pattern) was converted")
            return
        }
        #expect(text.contains(reason), "\(text)")
    }

    @Test func aSiteToolWithAPatternBrowsersCannotCheckIsWarnedAbout() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pcmops-site-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("site"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        id: site
        name: Site tool
        description: A site's own tool
        category: site
        platforms: [linux]
        parameters:
          - name: host
            type: string
            pattern: '(?i)^web[0-9]+$'
        actions:
          - id: ping
            name: Ping
            interpreter: sh
            script: |
              echo "$PARAM_HOST"
            timeout: 30
        """.write(to: directory.appendingPathComponent("site/tool.yml"), atomically: true, encoding: .utf8)
        let (tools, errors) = CatalogLoader.load(directories: [directory.path])
        #expect(errors.isEmpty, "\(errors)")
        let warnings = Catalog(tools: tools).browserPatternWarnings
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("tool site: parameter host") == true, "\(warnings)")
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Values tried on every pattern, with Swift's Regex (the server) and the browser's engine.
    static let probes = [
        "", "a", "web01", "web-01.example.com", "a-b", "1.2.3", "x y", "../etc/passwd", "C:\\Temp\\x",
        "\\\\srv\\share\\f", "a;b", "$(id)", "nginx.service", "user@example.com", "é", "A:B", "1+2", "x/y", "*", "?",
        "80%", "-", "a..b", "1.2.3-4ubuntu1", "Windows Server 2022", "K$", "abc=", "x|y",
    ]

    /// Every pattern of every built-in tool (and the test kit's) compiles under the `v` flag in node and accepts
    /// exactly what the server accepts.
    @Test func everyBuiltInPatternBehavesTheSameInABrowserEngine() async throws {
        let (tools, errors) = CatalogLoader.load(directories: [
            Self.repository.appendingPathComponent("Sources/OpsServer/Tools").path,
            Self.repository.appendingPathComponent("Tests/fixtures/tools").path,
        ])
        #expect(errors.isEmpty)
        var cases = [[String: Any]]()
        for tool in tools {
            for spec in tool.parameters + tool.actions.flatMap(\.parameters) {
                guard let pattern = spec.pattern else { continue }
                let attribute = try #require(BrowserPattern.convert(pattern).attribute, "\(tool.id).\(spec.name)")
                let regex = try Regex(pattern)
                let values = Self.probes + [spec.defaultValue].compactMap { $0 }
                cases.append([
                    "name": "\(tool.id).\(spec.name)", "attribute": attribute, "values": values,
                    "expected": values.map { (try? regex.wholeMatch(in: $0)) != nil },
                ])
            }
        }
        #expect(cases.count >= 10, "the built-in tools have patterns")
        let script = """
            const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
            const problems = [];
            for (const c of cases) {
              let re;
              try { re = new RegExp("^(?:" + c.attribute + ")$", "v"); }
              catch (e) { problems.push(c.name + ": " + e.message); continue; }
              c.values.forEach((v, i) => {
                if (re.test(v) !== c.expected[i]) problems.push(c.name + ": " + JSON.stringify(v) + " differs");
              });
            }
            console.log(JSON.stringify(problems));
            """
        let input = try JSONSerialization.data(withJSONObject: cases)
        let output = try await Self.offPool {
            try ChildProcess.run("/usr/bin/env", ["node", "-e", script], input: input)
        }
        #expect(output.status == 0, "\(output.stderrText)")
        let problems = try JSONSerialization.jsonObject(with: output.stdout) as? [String]
        #expect(problems == [], "\(problems ?? [])")
    }

    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
            }
        }
    }
}
