import OpsCore
import Vapor

/// Why an inventory change was refused; each case knows its HTTP status.
public enum InventoryServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(field: String, message: String)
    /// Well formed, as openapi.yaml describes the field, but unusable: an inventory that does not
    /// parse, a region of the other environment. A 422, so a client can tell it from a malformed
    /// request (400).
    case unusable(field: String, message: String)
    /// Clashes with what is stored, other than by name (``duplicate(kind:name:)``): a 409.
    case conflict(field: String, message: String)
    case notFound(kind: String, name: String)
    case duplicate(kind: String, name: String)
    case inUse(kind: String, name: String, by: String)
    /// A `local` target while the local transport is off; says how to allow it where the refusal happened.
    case localTransportDisabled(LocalTransportSwitch)

    public var description: String {
        switch self {
        case .invalid(let field, let message), .unusable(let field, let message),
            .conflict(let field, let message):
            "\(field): \(message)"
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
        case .invalid: .badRequest
        // The request is well formed; this server does not allow it (openapi.yaml documents the 422).
        case .unusable, .localTransportDisabled: .unprocessableEntity
        case .notFound: .notFound
        case .duplicate, .inUse, .conflict: .conflict
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
