import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where a password for `user add` / `user passwd` comes from.
enum PasswordInput {
    /// `--password`, else `--password-stdin`, else a prompt on a terminal, else nil (generate one).
    static func resolve(flag: String?, fromStdin: Bool) throws -> String? {
        if let flag { return flag }
        if fromStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw CLIError(description: "--password-stdin: standard input held no password")
            }
            return line
        }
        guard isatty(STDIN_FILENO) == 1 else { return nil }
        let first = try prompt("Password: ")
        let second = try prompt("Password again: ")
        guard first == second else { throw CLIError(description: "password: the two entries differ") }
        return first
    }

    /// Reads a line from the terminal with echo off.
    private static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else {
            throw CLIError(description: "password: no input")
        }
        return line
    }
}
