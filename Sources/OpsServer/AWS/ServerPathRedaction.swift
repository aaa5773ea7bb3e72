import OpsCore

/// Hides the server's file paths in a message shown to someone who is not an admin: AWS credential errors name
/// the files they looked in (`/home/ops/.aws/credentials`, `~/.aws/config`), which tell a viewer about the
/// server's accounts and layout. An admin sees the message as it is, to fix the setup.
enum ServerPathRedaction {
    static let placeholder = "[a file on the server]"

    /// `text` as someone with `role` may read it: whole for an admin, paths hidden for anyone else.
    static func shown(_ text: String, to role: Role?) -> String {
        role == .admin ? text : redact(text)
    }

    /// `text` with every absolute (`/a/b`) or home-relative (`~/a`) path replaced by ``placeholder``. A path
    /// starts after a space, quote, parenthesis, `=` or `:`-space boundary, never inside a URL (`https://…/x`).
    static func redact(_ text: String) -> String {
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let previous = index > text.startIndex ? text[text.index(before: index)] : nil
            let atBoundary = previous.map { " \t\n'\"(=[,".contains($0) } ?? true
            if atBoundary, let end = pathEnd(in: text, from: index) {
                result += placeholder
                index = end
                continue
            }
            result.append(character)
            index = text.index(after: index)
        }
        return result
    }

    /// Where a path starting at `start` ends, or nil when none starts there. A lone `/` (as in "and / or") is not
    /// a path: at least one name character must follow it.
    private static func pathEnd(in text: String, from start: String.Index) -> String.Index? {
        var index = start
        if text[index] == "~" {
            index = text.index(after: index)
            guard index < text.endIndex, text[index] == "/" else { return nil }
        } else if text[index] != "/" {
            return nil
        }
        index = text.index(after: index)
        guard index < text.endIndex, isPathCharacter(text[index]), text[index] != "/" else { return nil }
        while index < text.endIndex, isPathCharacter(text[index]) { index = text.index(after: index) }
        // A sentence's full stop or colon after a path is not part of it.
        while index > start, ".:".contains(text[text.index(before: index)]) { index = text.index(before: index) }
        return index
    }

    private static func isPathCharacter(_ character: Character) -> Bool {
        !(character.isWhitespace || "'\"(),;[]<>|`".contains(character))
    }
}
