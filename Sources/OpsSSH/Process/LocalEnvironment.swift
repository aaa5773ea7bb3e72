import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The environment a local program starts with: a fixed, documented minimum, never the server's own.
///
/// The server's environment holds its secrets (`PCMOPS_ADMIN_PASSWORD`, `PCMOPS_SECRET_KEY`,
/// `PCMOPS_DATABASE_URL`, AWS keys), and every viewer can read a run's output, so a `local` script that
/// printed `env` would publish them. Like OpenSSH's sshd, which gives a session only `PATH`, `HOME`, `USER`,
/// `LOGNAME`, `SHELL` and the locale, a local program gets exactly these:
///
/// - `PATH`: `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`
/// - `HOME`, `USER`, `LOGNAME`, `SHELL`: from the password database for the server's user
/// - `LANG`: the server's `LANG` when it names a locale (`C.UTF-8` otherwise)
///
/// plus the variables the caller passes in `extra` (what a tool declares), which win.
public enum LocalEnvironment {
    /// The system directories every POSIX program expects, in sshd's order.
    public static let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// The minimal environment for a program started by the server, plus `extra`.
    public static func minimal(extra: [String: String] = [:]) -> [String: String] {
        var result = ["PATH": path, "LANG": locale(ProcessInfo.processInfo.environment["LANG"])]
        let account = Self.account()
        result["HOME"] = account.home
        result["USER"] = account.user
        result["LOGNAME"] = account.user
        result["SHELL"] = account.shell
        return result.merging(extra) { _, declared in declared }
    }

    /// `LANG` if it looks like a locale name (letters, digits, `_ . - @`), else `C.UTF-8`.
    static func locale(_ value: String?) -> String {
        guard let value, !value.isEmpty, value.count <= 64,
            value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-@".contains($0)) })
        else { return "C.UTF-8" }
        return value
    }

    /// Name, home directory and shell of the user this process runs as.
    static func account() -> (user: String, home: String, shell: String) {
        guard let entry = getpwuid(geteuid()) else { return ("nobody", "/", "/bin/sh") }
        let user = String(cString: entry.pointee.pw_name)
        let home = String(cString: entry.pointee.pw_dir)
        let shell = String(cString: entry.pointee.pw_shell)
        return (user, home.isEmpty ? "/" : home, shell.isEmpty ? "/bin/sh" : shell)
    }
}
