import Crypto
import Foundation
import OpsCore

/// Turns an invocation into SSM document parameters. AWS-RunShellScript runs its `commands` with `sh`; to keep the
/// interpreter the action asked for (`bash -s`, `python3 -`), the script goes to it on standard input through a
/// quoted here-document whose delimiter is derived from the script's SHA-256 and checked absent from the script, so no line of the script
/// can end it early. PowerShell scripts are sent as their lines.
enum SSMScript {
    static func document(windows: Bool) -> String { windows ? "AWS-RunPowerShellScript" : "AWS-RunShellScript" }

    static func commands(for invocation: Invocation, windows: Bool) -> [String] {
        let script = String(decoding: invocation.request.stdin ?? [], as: UTF8.self)
        if windows {
            return script.split(separator: "\n", omittingEmptySubsequences: false).map {
                String($0.hasSuffix("\r") ? $0.dropLast() : $0)
            }
        }
        // Derived from the script, so the same script gives the same commands and can share one SendCommand.
        let digest = SHA256.hash(data: Array(script.utf8)).map { String(format: "%02X", $0) }.joined()
        var delimiter = "PCMOPS_EOF_" + digest.prefix(16)
        var counter = 0
        while script.contains(delimiter) {
            counter += 1
            delimiter = "PCMOPS_EOF_\(digest.prefix(16))_\(counter)"
        }
        let body = script.hasSuffix("\n") ? script : script + "\n"
        return ["\(invocation.request.command) <<'\(delimiter)'\n\(body)\(delimiter)"]
    }

    /// Whole seconds for `executionTimeout`: SSM takes 1 to 172,800.
    static func executionTimeout(_ timeout: Duration) -> Int {
        let seconds = Int(timeout.components.seconds) + (timeout.components.attoseconds > 0 ? 1 : 0)
        return min(172_800, max(1, seconds))
    }
}
