import OpenAPIRuntime
import OpsCore
import Vapor

/// `/api/v1/groups` (everyone reads; admins change), `/credentials`, `/inventory/import` and
/// `/known-hosts` (admin).
extension APIHandler {
    func listGroups(_ input: Operations.ListGroups.Input) async throws -> Operations.ListGroups.Output {
        let groups = try await request.groupService.list().map {
            GroupDTO(
                name: $0.name, description: $0.groupDescription, selector: $0.selector, credential: $0.credential?.name,
                static_members: $0.members.map(\.name).sorted(), members: nil)
        }
        return .ok(.init(body: .json(groups)))
    }

    func getGroup(_ input: Operations.GetGroup.Input) async throws -> Operations.GetGroup.Output {
        .ok(.init(body: .json(try await Self.group(input.path.name, request: try request))))
    }

    func createGroup(_ input: Operations.CreateGroup.Input) async throws -> Operations.CreateGroup.Output {
        guard case .json(let spec) = input.body else { throw Abort(.unsupportedMediaType) }
        let request = try request
        let group = try await request.groupService.create(spec, by: request.auditActor)
        return .created(.init(body: .json(try await Self.group(group.name, request: request))))
    }

    /// `members` replaces the static members.
    func updateGroup(_ input: Operations.UpdateGroup.Input) async throws -> Operations.UpdateGroup.Output {
        guard case .json(let body) = input.body else { throw Abort(.unsupportedMediaType) }
        let request = try request
        let spec = GroupSpec(
            name: input.path.name, description: body.description, selector: body.selector,
            credential: body.credential, members: body.members)
        _ = try await request.groupService.require(input.path.name)
        try await Self.namedInBody { try await request.groupService.update(spec, by: request.auditActor) }
        return .ok(.init(body: .json(try await Self.group(input.path.name, request: request))))
    }

    /// Its targets stay.
    func deleteGroup(_ input: Operations.DeleteGroup.Input) async throws -> Operations.DeleteGroup.Output {
        let request = try request
        try await request.groupService.delete(input.path.name, by: request.auditActor)
        return .noContent(.init())
    }

    /// A group with its static members and every resolved member.
    static func group(_ name: String, request: Request) async throws -> GroupDTO {
        let service = request.groupService
        let group = try await service.require(name)
        let statics = try await group.$members.get(on: request.db).map(\.name).sorted()
        let members = try await service.members(of: group).map(\.name)
        return GroupDTO(
            name: group.name, description: group.groupDescription, selector: group.selector,
            credential: group.credential?.name, static_members: statics, members: members)
    }

    func listCredentials(_ input: Operations.ListCredentials.Input) async throws -> Operations.ListCredentials.Output {
        .ok(.init(body: .json(try await request.credentialService.list().map(CredentialDTO.init))))
    }

    /// The secret is encrypted and never returned. The kind decides the secret (one shape per kind in
    /// openapi.yaml, so a client cannot send a key without its kind's fields).
    func createCredential(_ input: Operations.CreateCredential.Input) async throws
        -> Operations.CreateCredential.Output
    {
        guard case .json(let body) = input.body else { throw Abort(.unsupportedMediaType) }
        let request = try request
        let name: String
        let username: String
        let isDefault: Bool?
        let secret: CredentialSecret
        var domain: String?
        switch body {
        case .sshKey(let key):
            (name, username, isDefault) = (key.name, key.username, key.isDefault)
            secret = try CredentialSecret.make(
                kind: key.kind.rawValue, privateKey: key.privateKey, passphrase: key.passphrase, password: nil)
        case .sshPassword(let password):
            (name, username, isDefault) = (password.name, password.username, password.isDefault)
            secret = try CredentialSecret.make(
                kind: password.kind.rawValue, privateKey: nil, passphrase: nil, password: password.password)
        case .awsKeys(let keys):
            (name, username, isDefault) = (keys.name, keys.username, keys.isDefault)
            secret = try CredentialSecret.make(
                kind: keys.kind.rawValue, privateKey: nil, passphrase: nil, password: keys.password,
                awsEnvironment: keys.awsEnvironment.rawValue, sessionToken: keys.sessionToken)
        case .winrm(let account):
            (name, username, isDefault, domain) = (account.name, account.username, account.isDefault, account.domain)
            secret = try CredentialSecret.make(
                kind: account.kind.rawValue, privateKey: nil, passphrase: nil, password: account.password)
        }
        let credential = try await request.credentialService.create(
            name: name, username: username, domain: domain, secret: secret, isDefault: isDefault ?? false,
            by: request.auditActor)
        return .created(.init(body: .json(CredentialDTO(credential))))
    }

    func deleteCredential(_ input: Operations.DeleteCredential.Input) async throws
        -> Operations.DeleteCredential.Output
    {
        let request = try request
        try await request.credentialService.delete(input.path.name, by: request.auditActor)
        return .noContent(.init())
    }

    /// The file itself (text/plain, text/csv, application/yaml) or JSON `{"content","file_name"}`;
    /// upsert by name in one transaction, or only the report for a dry run.
    func importInventory(_ input: Operations.ImportInventory.Input) async throws -> Operations.ImportInventory.Output {
        let request = try request
        var fileName = input.query.fileName
        let text: String
        // A text/csv or application/yaml body is read as its media type says; `format` is for the others.
        var format = input.query.format.flatMap { InventoryImporter.Format(rawValue: $0.rawValue) }
        switch input.body {
        case .json(let body):
            text = body.content
            fileName = body.fileName ?? fileName
        case .plainText(let body):
            text = try await Self.text(body, limit: 10 << 20)
        case .csv(let body):
            text = try await Self.text(body, limit: 10 << 20)
            format = .csv
        case .yaml(let body):
            text = try await Self.text(body, limit: 10 << 20)
            format = .yaml
        }
        guard !text.isEmpty else { throw Abort(.badRequest, reason: "send the inventory file as the request body") }
        let report = try await request.inventoryImporter.importText(
            text, fileName: fileName, format: format, dryRun: input.query.dryRun ?? false,
            defaultUser: input.query.defaultUser, by: request.auditActor)
        return .ok(.init(body: .json(report)))
    }

    func listKnownHosts(_ input: Operations.ListKnownHosts.Input) async throws -> Operations.ListKnownHosts.Output {
        .ok(.init(body: .json(try await request.knownHostsService.list().map(KnownHostDTO.init))))
    }

    /// OpenSSH known_hosts text; counts and the rejected lines with reasons.
    func importKnownHosts(_ input: Operations.ImportKnownHosts.Input) async throws
        -> Operations.ImportKnownHosts.Output
    {
        guard case .plainText(let body) = input.body else { throw Abort(.unsupportedMediaType) }
        let request = try request
        let text = try await Self.text(body, limit: 5 << 20)
        guard !text.isEmpty else { throw Abort(.badRequest, reason: "send the known_hosts text as the request body") }
        let report = try await request.knownHostsService.importText(text, source: "api", by: request.auditActor)
        return .ok(.init(body: .json(report)))
    }

    func deleteKnownHost(_ input: Operations.DeleteKnownHost.Input) async throws -> Operations.DeleteKnownHost.Output {
        guard let id = UUID(uuidString: input.path.id) else {
            throw Abort(.badRequest, reason: "id: not a host key id (UUID), got '\(input.path.id)'")
        }
        let request = try request
        try await request.knownHostsService.delete(id: id, by: request.auditActor)
        return .noContent(.init())
    }

    /// A text body as UTF-8; anything else is a 400.
    static func text(_ body: HTTPBody, limit: Int) async throws -> String {
        let bytes = try await [UInt8](collecting: body, upTo: limit)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Abort(.badRequest, reason: "the body is not UTF-8 text")
        }
        return text
    }
}
