import OpsCore
import Vapor

/// Why an account operation was refused; each case knows its HTTP status.
public enum AccountError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(AccountValidationError)
    case userExists(String)
    case userNotFound(String)
    case lastAdmin(String)
    case tokenNotFound(String)
    case invalidTokenName(String)

    public var description: String {
        switch self {
        case .invalid(let error): error.description
        case .userExists(let name): "user '\(name)' already exists"
        case .userNotFound(let name): "no user named '\(name)'"
        case .lastAdmin(let name):
            "'\(name)' is the last active admin; make another user admin first"
        case .tokenNotFound(let id): "no API token with id '\(id)'"
        case .invalidTokenName(let message): message
        }
    }
}

extension AccountError: AbortError {
    public var status: HTTPResponseStatus {
        switch self {
        case .invalid(.passwordTooLong): .unprocessableEntity
        case .invalid, .invalidTokenName: .badRequest
        case .userExists, .lastAdmin: .conflict
        case .userNotFound, .tokenNotFound: .notFound
        }
    }

    public var reason: String { description }
}
