import Foundation

/// `~` in a path from an inventory, expanded as Ansible does (Python's `os.path.expanduser`): `~` and `~/…`
/// from `$HOME`, else the user's home in the password database; `~name/…` from `name`'s entry.
///
/// Foundation's `expandingTildeInPath` ignores `$HOME` on Linux, so a CLI run with another `HOME` (sudo -E,
/// a CI job, a container) would read keys from the wrong directory.
enum HomePath {
    /// `path` with a leading `~` or `~name` replaced; unchanged when there is none or the user is unknown.
    static func expand(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        guard path.hasPrefix("~") else { return path }
        let slash = path.firstIndex(of: "/") ?? path.endIndex
        let user = path[path.index(after: path.startIndex)..<slash]
        let home: String?
        if user.isEmpty {
            home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        } else {
            home = FileManager.default.homeDirectory(forUser: String(user))?.path
        }
        guard let home else { return path }
        let rest = path[slash...]
        return home.hasSuffix("/") && rest.hasPrefix("/") ? home + rest.dropFirst() : home + rest
    }
}
