import Foundation

/// How scripts reach Windows PowerShell: a short, fixed command line whose `-EncodedCommand` is a bootstrap that
/// reads the real script from stdin and runs it, as Ansible does. Scripts never go on the command line:
/// `cmd.exe` stops at 8,191 characters and `-EncodedCommand` costs 2.67 characters per script character. The
/// script travels as UTF-8 over WinRS Send, so its length is unlimited and its text exact.
public enum PowerShellBootstrap {
    /// The bootstrap, line by line: stop on errors, read and write UTF-8 without a BOM, then run stdin.
    public static let lines = [
        "$ErrorActionPreference = 'Stop'",
        "$utf8 = New-Object System.Text.UTF8Encoding $false",
        "[Console]::InputEncoding = $utf8",
        "[Console]::OutputEncoding = $utf8",
        "$pcmScript = [Console]::In.ReadToEnd()",
        "& ([ScriptBlock]::Create($pcmScript))",
    ]

    /// The bootstrap script: ``lines`` joined with "\n".
    public static let script = lines.joined(separator: "\n")

    /// The program WinRS starts.
    public static let executable = "powershell.exe"

    /// Its arguments: no profile, never prompt, no execution policy in the way, and the encoded bootstrap.
    public static let arguments = [
        "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand", encodedCommand(script),
    ]

    /// The whole command line, as the host sees it.
    public static let commandLine = ([executable] + arguments).joined(separator: " ")

    /// What `-EncodedCommand` takes: the base64 of the script's UTF-16LE code units.
    public static func encodedCommand(_ script: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(script.utf16.count * 2)
        for unit in script.utf16 {
            bytes.append(UInt8(truncatingIfNeeded: unit))
            bytes.append(UInt8(truncatingIfNeeded: unit >> 8))
        }
        return Data(bytes).base64EncodedString()
    }

    /// The stdin that carries `script` to the bootstrap: its UTF-8 bytes, no byte order mark.
    public static func stdin(for script: String) -> [UInt8] {
        Array(script.utf8)
    }
}
