/// Running a command with admin rights on a POSIX host that we reach as an ordinary user.
public enum Privilege {
    /// The command as the login user runs it: unchanged for root, else through `sudo -n` (never
    /// prompting: a sudo that wants a password fails at once with a clear message instead of hanging).
    public static func wrap(_ command: String, requiresAdmin: Bool, username: String) -> String {
        guard requiresAdmin, username != "root" else { return command }
        return "sudo -n -- /bin/sh -c " + ShellQuote.posix(command)
    }

    /// True when stderr says sudo wanted a password.
    public static func sudoNeedsPassword(_ result: ExecResult) -> Bool {
        result.exitStatus == 1 && result.stderr.contains("sudo: a password is required")
    }

    /// The message shown when sudo wanted a password.
    public static func sudoPasswordMessage(target: String, username: String) -> String {
        "\(target): this action needs admin rights and sudo asks '\(username)' for a password; "
            + "allow passwordless sudo (NOPASSWD) for this account or connect as root"
    }
}

/// Quoting for shells.
public enum ShellQuote {
    /// POSIX single-quoting: the value inside '...' with each ' written as '\''.
    public static func posix(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
