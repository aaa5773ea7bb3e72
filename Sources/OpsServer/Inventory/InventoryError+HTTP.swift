import OpsCore
import Vapor

/// Why an inventory change was refused; each case knows its HTTP status.
public enum InventoryServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(field: String, message: String)
    case notFound(kind: String, name: String)
    case duplicate(kind: String, name: String)
    case inUse(kind: String, name: String, by: String)
    /// A `local` target while the local transport is off; says how to allow it where the refusal happened.
    case localTransportDisabled(LocalTransportSwitch)

    public var description: String {
        switch self {
        case .invalid(let field, let message): "\(field): \(message)"
        case .notFound(let kind, let name): "no \(kind) named '\(name)'"
        case .duplicate(let kind, let name): "a \(kind) named '\(name)' already exists"
        case .inUse(let kind, let name, let by): "\(kind) '\(name)' is used by \(by)"
        case .localTransportDisabled(let fix): "the local transport is disabled; " + fix.howToAllow
        }
    }
}

extension InventoryServiceError: AbortError {
    public var status: HTTPResponseStatus {
        switch self {
        case .invalid, .localTransportDisabled: .badRequest
        case .notFound: .notFound
        case .duplicate, .inUse: .conflict
        }
    }

    public var reason: String { description }
}

extension Result where Failure == InventoryError {
    /// The value, or ``InventoryServiceError/invalid(field:message:)`` naming `field`.
    func orInvalid(_ field: String) throws -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let error): throw InventoryServiceError.invalid(field: field, message: error.description)
        }
    }
}
