import OpsServer

/// Target output and other remote text made safe for a terminal.
///
/// A target's output may hold terminal escape sequences (colours, but also "set window title", cursor moves
/// that rewrite earlier lines, or the few sequences some terminals answer by typing). Printed raw, whoever
/// owns a target controls the operator's terminal. So the CLI shows every control character except newline
/// and tab escaped (`\u{1B}[31m`), unless the operator asks for the bytes with `--raw`.
enum TerminalText {
    /// `text` with every control character other than newline and tab escaped, or unchanged when `raw`.
    static func safe(_ text: String, raw: Bool = false) -> String {
        guard !raw else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map { LogEscaping.escaped(String($0)) }
                .joined(separator: "\t")
        }.joined(separator: "\n")
    }
}
