import Vapor

/// `/api/v1/credentials` (admin only). Secrets go in and never come out.
enum CredentialsAPI {
    struct CreateBody: Content {
        var name: String
        var kind: String
        var username: String
        var private_key: String?
        var passphrase: String?
        var password: String?
        var is_default: Bool?
    }

    @Sendable static func list(_ request: Request) async throws -> [CredentialDTO] {
        try await request.credentialService.list().map(CredentialDTO.init)
    }

    @Sendable static func create(_ request: Request) async throws -> Response {
        let body = try request.decodeJSON(CreateBody.self)
        let secret = try secret(
            kind: body.kind, privateKey: body.private_key, passphrase: body.passphrase, password: body.password)
        let credential = try await request.credentialService.create(
            name: body.name, username: body.username, secret: secret, isDefault: body.is_default ?? false,
            by: request.auditActor)
        return try await CredentialDTO(credential).encodeResponse(status: .created, for: request)
    }

    @Sendable static func delete(_ request: Request) async throws -> HTTPStatus {
        try await request.credentialService.delete(try request.parameter("name"), by: request.auditActor)
        return .noContent
    }

    /// Builds the secret for a kind, naming the missing field.
    static func secret(kind: String, privateKey: String?, passphrase: String?, password: String?) throws
        -> CredentialSecret
    {
        switch kind {
        case "ssh_key":
            guard let key = privateKey?.nonEmpty else {
                throw InventoryServiceError.invalid(field: "private_key", message: "required for kind ssh_key")
            }
            return .sshKey(privateKey: key, passphrase: passphrase?.nonEmpty)
        case "ssh_password":
            guard let password = password?.nonEmpty else {
                throw InventoryServiceError.invalid(field: "password", message: "required for kind ssh_password")
            }
            return .sshPassword(password)
        default:
            throw InventoryServiceError.invalid(
                field: "kind", message: "'\(kind)' is not one of \(CredentialService.kinds.joined(separator: ", "))")
        }
    }
}
