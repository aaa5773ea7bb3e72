/// Whether the WinRM session runs elevated (an administrator token): what `requires_admin` steps need on
/// Windows. Sent as a script through the bootstrap; it prints `elevated` or `not-elevated`.
public enum PowerShellElevationCheck {
    /// The check, exactly as every part of the product sends it.
    public static let script =
        "if (([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent())"
        + ".IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) { 'elevated' } else { 'not-elevated' }"

    /// Reads the check's stdout: true for `elevated`, false for `not-elevated` (surrounding whitespace and
    /// line ends ignored), nil for anything else.
    public static func interpret(stdout: [UInt8]) -> Bool? {
        switch WSManText.trimmed(String(decoding: stdout, as: UTF8.self)) {
        case "elevated": return true
        case "not-elevated": return false
        default: return nil
        }
    }
}

extension WinRSClient {
    /// Runs ``PowerShellElevationCheck/script`` and says whether the session is elevated. Throws
    /// ``WSManError/unexpectedOutput(operation:detail:)`` when the check answers anything else.
    public func isElevated(deadline: ContinuousClock.Instant) async throws -> Bool {
        let output = WinRSOutputCollector()
        let exitCode = try await runPowerShell(PowerShellElevationCheck.script, deadline: deadline) {
            output.append($0)
        }
        let stdout = output.bytes(of: .stdout)
        guard exitCode == 0, let elevated = PowerShellElevationCheck.interpret(stdout: stdout) else {
            let printed = WSManText.trimmed(String(decoding: stdout.prefix(200), as: UTF8.self))
            let errors = WSManText.trimmed(String(decoding: output.bytes(of: .stderr).prefix(300), as: UTF8.self))
            throw WSManError.unexpectedOutput(
                operation: "the elevation check",
                detail: "it exited with \(exitCode) and printed \"\(printed)\""
                    + (errors.isEmpty ? "" : " (stderr: \(errors))"))
        }
        return elevated
    }
}
