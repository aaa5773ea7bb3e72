import Foundation
import OpsTestSupport
import Testing

@testable import OpsCore

@Suite("Parameters and quoting")
struct ParameterAndQuotingTests {
    static let specs = [
        ParameterSpec(name: "unit", type: .string, required: true, pattern: "^[a-z.]+$"),
        ParameterSpec(name: "count", type: .int, defaultValue: "3", min: 1, max: 10),
        ParameterSpec(name: "force", type: .bool, defaultValue: "false"),
        ParameterSpec(name: "mode", type: .enum, values: ["fast", "safe"]),
        ParameterSpec(name: "token", type: .string, maxLength: 8, secret: true),
    ]

    @Test func validValuesAreNormalisedAndDefaultsFilled() throws {
        let values = try ParameterValidator.validate(
            ["unit": "nginx.service", "force": "YES", "mode": "safe"], against: Self.specs
        ).get()
        #expect(values == ["unit": "nginx.service", "count": "3", "force": "true", "mode": "safe"])
    }

    @Test(arguments: [
        (["count": "2"], "unit", "is required"),
        (["unit": "a", "colour": "red"], "colour", "unknown parameter"),
        (["unit": "a; rm -rf /"], "unit", "does not match"),
        (["unit": "a", "count": "11"], "count", "at most 10"),
        (["unit": "a", "count": "two"], "count", "whole number"),
        (["unit": "a", "force": "perhaps"], "force", "true or false"),
        (["unit": "a", "mode": "reckless"], "mode", "one of fast, safe"),
        (["unit": "a", "token": "123456789"], "token", "longer than 8"),
        (["unit": "a\u{0}b"], "unit", "NUL"),
    ])
    func badValuesAreRefusedNamingTheParameter(_ given: [String: String], _ parameter: String, _ message: String) {
        guard case .failure(let error) = ParameterValidator.validate(given, against: Self.specs) else {
            Issue.record("expected a refusal for \(given)")
            return
        }
        #expect(error.parameter == parameter)
        #expect(error.message.contains(message), "\(error)")
    }

    @Test func secretValuesAreNotEchoedInErrors() {
        let spec = ParameterSpec(name: "token", type: .string, pattern: "^[0-9]+$", secret: true)
        guard case .failure(let error) = ParameterValidator.check("hunter2", against: spec) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(!error.description.contains("hunter2"))
    }

    /// Values that break naive quoting. Each must reach the script byte for byte.
    static let hostile: [String] = [
        "it's", "'", "''", "'\\''", "\"double\"", "$(touch /tmp/pcmops-pwned)", "`id`", "${HOME}", "$HOME",
        "a\nb\nc", "\n", "back\\slash\\", "semi; rm -rf /", "&& echo no", "| cat", "* ? [a-z]", "~root",
        "tab\there", "unicodé ☃ 🚀 \u{202E}rtl", "‘curly’ „quotes“", "-n", "--", " leading and trailing ",
        String(repeating: "x'y\"z$`\n", count: 12_800),
    ]

    @Test(arguments: [Interpreter.bash, .sh])
    func theTargetReceivesTheLiteralValue(_ interpreter: Interpreter) throws {
        let spec = ParameterSpec(name: "value", type: .string)
        for value in Self.hostile {
            let rendered = ScriptRenderer.render(
                ScriptSource(origin: "test", text: "printf '%s' \"$PARAM_VALUE\""), interpreter: interpreter,
                values: ["value": value], specs: [spec])
            let output = try Self.run(interpreter.rawValue, script: rendered.text)
            #expect(output == Data(value.utf8), "\(interpreter) mangled \(value.prefix(40).debugDescription)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/pcmops-pwned"))
    }

    @Test func renderingRecordsTheSHA256OfExactlyWhatRuns() {
        let spec = ParameterSpec(name: "unit", type: .string)
        let script = ScriptSource(origin: "status.sh", text: "systemctl status \"$PARAM_UNIT\"")
        let first = ScriptRenderer.render(script, interpreter: .bash, values: ["unit": "nginx"], specs: [spec])
        let second = ScriptRenderer.render(script, interpreter: .bash, values: ["unit": "sshd"], specs: [spec])
        #expect(first.text.hasPrefix("# pcm-ops: parameters\nexport PARAM_UNIT='nginx'\n"))
        #expect(first.text.hasSuffix("systemctl status \"$PARAM_UNIT\"\n"))
        #expect(first.sha256.count == 64 && first.sha256 != second.sha256)
        #expect(first.sha256 == RandomToken.sha256Hex(first.text))
    }

    @Test func powerShellDoublesEverySingleQuoteCharacter() {
        #expect(ShellQuote.powerShell("it's") == "'it''s'")
        #expect(ShellQuote.powerShell("a\u{2019}b") == "'a\u{2019}\u{2019}b'")
        #expect(ShellQuote.powerShell("$(Get-Process)") == "'$(Get-Process)'")
        let rendered = ScriptRenderer.render(
            ScriptSource(origin: "x.ps1", text: "Write-Output $PARAM_NAME"), interpreter: .powershell,
            values: ["name": "O'Brien"],
            specs: [ParameterSpec(name: "name", type: .string)])
        #expect(rendered.text.contains("$PARAM_NAME = 'O''Brien'"))
    }

    @Test func secretsAreRedactedFromThePreview() {
        let specs = [
            ParameterSpec(name: "token", type: .string, secret: true), ParameterSpec(name: "user", type: .string),
        ]
        let values = ["token": "s3cr3t-value", "user": "ops"]
        let rendered = ScriptRenderer.render(
            ScriptSource(origin: "t", text: "enroll"), interpreter: .bash, values: values, specs: specs)
        let preview = ScriptRenderer.redacted(rendered, values: values, specs: specs)
        #expect(rendered.text.contains("s3cr3t-value"))
        #expect(!preview.contains("s3cr3t-value"))
        #expect(preview.contains("export PARAM_USER='ops'"))
    }

    /// Runs a script with a real shell and returns its stdout bytes.
    static func run(_ shell: String, script: String) throws -> Data {
        let file = NSTemporaryDirectory() + "pcmops-quote-" + UUID().uuidString
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try ChildProcess.run("/bin/\(shell)", [file]).stdout
    }
}
