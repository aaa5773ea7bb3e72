import Foundation

/// The operating system family of a target; decides the default shell and script interpreter.
public enum OSFamily: String, CaseIterable, Sendable, Codable {
    /// Linux and other Unix-like systems reached through a POSIX shell.
    case linux
    /// Microsoft Windows, reached through PowerShell.
    case windows

    /// Accepts a case-insensitive raw value with surrounding whitespace.
    public init?(parsing text: String) {
        self.init(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
