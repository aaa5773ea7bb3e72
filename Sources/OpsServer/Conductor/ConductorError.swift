import OpsCore
import Vapor

/// What Conductor refuses, with the HTTP status each maps to.
public enum ConductorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message text is empty, blank, too long or holds a NUL character.
    case invalidText(String)
    /// No conversation with that id is the requester's.
    case conversationNotFound(String)
    /// "yes" from a role that may plan but not launch.
    case launchNotAllowed(role: Role)
    /// Another reply to the same conversation was stored meanwhile.
    case conversationBusy(String)

    public var description: String {
        switch self {
        case .invalidText(let message): "text: \(message)"
        case .conversationNotFound(let id): "no conversation '\(id.prefix(100))'"
        case .launchNotAllowed(let role):
            "launching a plan needs the operator role; you are a \(role.rawValue): you can plan, an operator can launch"
        case .conversationBusy(let id): "conversation \(id) took another message at the same time; send it again"
        }
    }
}

extension ConductorError: AbortError {
    public var status: HTTPResponseStatus {
        switch self {
        case .invalidText: .badRequest
        case .conversationNotFound: .notFound
        case .launchNotAllowed: .forbidden
        case .conversationBusy: .conflict
        }
    }

    public var reason: String { description }
}

/// The rules a message's text follows, the same as openapi.yaml's `ConductorText` schema.
enum ConductorText {
    static let maxLength = 2000

    /// The text, or why it is refused: not blank (``isSpace``),
    /// at most ``maxLength`` characters (Unicode code points, as JSON Schema counts), no NUL (PostgreSQL cannot store it).
    static func validate(_ text: String) throws(ConductorError) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count <= maxLength else {
            throw .invalidText("must be at most \(maxLength) characters, got \(scalars.count)")
        }
        guard !scalars.contains("\u{0}") else { throw .invalidText("must not contain NUL characters") }
        guard scalars.contains(where: { !isSpace($0) }) else { throw .invalidText("must not be empty") }
        return text
    }

    /// White space as the schema's pattern lists it: ECMA-262's WhiteSpace and LineTerminator together with what
    /// Python's `str.isspace` adds (U+001C…U+001F, U+0085), so a JSON Schema validator in either language agrees.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x1F, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F,
            0x3000, 0xFEFF:
            true
        default: false
        }
    }
}
