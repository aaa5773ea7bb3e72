import Crypto
import Foundation

/// A script exactly as it is sent to a target, with its SHA-256.
public struct RenderedScript: Sendable, Equatable {
    public var interpreter: Interpreter
    public var text: String
    /// Lower-case hex SHA-256 of `text`.
    public var sha256: String
}

/// Puts parameter values in front of a catalog script as quoted assignments (DESIGN.md §9). The
/// script text itself is never edited, so a value can never become code.
public enum ScriptRenderer {
    public static func render(
        _ script: ScriptSource, interpreter: Interpreter, values: [String: String], specs: [ParameterSpec]
    ) -> RenderedScript {
        var lines = [String]()
        switch interpreter {
        case .bash, .sh:
            lines.append("# pcm-ops: parameters")
            for spec in specs {
                guard let value = values[spec.name] else { continue }
                lines.append("export \(spec.variableName)=\(ShellQuote.posix(value))")
            }
        case .powershell:
            lines.append("# pcm-ops: parameters")
            lines.append("$ErrorActionPreference = 'Stop'")
            for spec in specs {
                guard let value = values[spec.name] else { continue }
                lines.append("$\(spec.variableName) = \(ShellQuote.powerShell(value))")
            }
        }
        lines.append("# pcm-ops: script \(script.origin)")
        let text = lines.joined(separator: "\n") + "\n" + script.text + (script.text.hasSuffix("\n") ? "" : "\n")
        let digest = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        return RenderedScript(interpreter: interpreter, text: text, sha256: digest)
    }

    /// The script with secret values replaced, for previews and storage.
    public static func redacted(_ rendered: RenderedScript, values: [String: String], specs: [ParameterSpec]) -> String
    {
        var text = rendered.text
        for spec in specs where spec.secret {
            guard let value = values[spec.name], !value.isEmpty else { continue }
            let quoted = rendered.interpreter.isPOSIX ? ShellQuote.posix(value) : ShellQuote.powerShell(value)
            text = text.replacingOccurrences(of: quoted, with: "'***'")
        }
        return text
    }
}

extension ShellQuote {
    /// PowerShell single-quoted string: every single-quote character doubled, including the
    /// typographic ones PowerShell also accepts as quotes (U+2018, U+2019, U+201A, U+201B).
    public static func powerShell(_ value: String) -> String {
        var result = "'"
        for character in value {
            result.append(character)
            if ["'", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}"].contains(character) { result.append(character) }
        }
        return result + "'"
    }
}
