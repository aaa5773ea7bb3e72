import Fluent
import Foundation
import OpsAWS
import OpsCore

/// What `/aws` and the AWS API do for one request: the environments' status, keys entered for the session,
/// the configured accounts, and clients for an account and region.
struct AWSAccess: Sendable {
    let database: any Database
    let vault: Vault
    let gateway: AWSGateway
    let credentialService: CredentialService
    let audit: AuditLog
    /// The browser session, when the request has one (API tokens have none: stored keys or the chain).
    let sessionID: UUID?
    let actor: AccountService.Actor

    /// The session's entered keys.
    func sessionKeys() async throws -> SessionAWSKeys {
        guard let sessionID, let session = try await UserSession.find(sessionID, on: database) else {
            return SessionAWSKeys()
        }
        return SessionAWSKeys.load(session, vault: vault)
    }

    /// The environment's base credentials and a stable id of them (for the role cache).
    func base(_ environment: AWSEnvironment) async throws -> (any AWSCredentialProvider, id: String) {
        if let keys = try await sessionKeys().environments[environment.name] {
            return (gateway.baseCredentials(environment, session: keys, stored: nil), "session:\(keys.accessKeyID)")
        }
        if let (_, stored) = try await credentialService.awsKeys(environment.name) {
            let keys = AWSCredentials(
                accessKeyID: stored.accessKeyID, secretAccessKey: stored.secretAccessKey,
                sessionToken: stored.sessionToken)
            return (gateway.baseCredentials(environment, session: nil, stored: keys), "stored:\(stored.accessKeyID)")
        }
        return (gateway.baseCredentials(environment, session: nil, stored: nil), "chain")
    }

    /// Credentials for an account of the environment (nil: the base credentials' own account).
    func credentials(_ environment: AWSEnvironment, account: String?) async throws -> any AWSCredentialProvider {
        let (base, id) = try await base(environment)
        guard let account else { return base }
        let record = try await AWSAccount.query(on: database)
            .filter(\.$environment == environment.name).filter(\.$accountID == account).first()
        return await gateway.credentials(environment, account: record, base: base, baseKeyID: id)
    }

    /// Checks keys with GetCallerIdentity and keeps them for this browser session.
    func enterKeys(_ environment: AWSEnvironment, accessKeyID: String, secret: String, token: String?) async throws
        -> SessionAWSKeys.Keys
    {
        guard let sessionID else {
            throw InventoryServiceError.invalid(field: "session", message: "entered keys need a browser session")
        }
        let keyID = accessKeyID.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (16...128).contains(keyID.count), keyID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw InventoryServiceError.invalid(
                field: "access_key_id", message: "must be 16 to 128 letters and digits (AKIA… or ASIA…)")
        }
        let secretKey = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secretKey.isEmpty, secretKey.count <= 256, !secretKey.contains(where: \.isWhitespace) else {
            throw InventoryServiceError.invalid(field: "secret_access_key", message: "required, without spaces")
        }
        let sessionToken = token?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        if let sessionToken, sessionToken.count > 4096 {
            throw InventoryServiceError.invalid(field: "session_token", message: "longer than 4,096 characters")
        }
        let credentials = AWSCredentials(accessKeyID: keyID, secretAccessKey: secretKey, sessionToken: sessionToken)
        let (identity, _) = try await gateway.identity(
            environment, StaticCredentialProvider(credentials, source: "entered keys"))
        let keys = SessionAWSKeys.Keys(
            accessKeyID: keyID, secretAccessKey: secretKey, sessionToken: sessionToken, account: identity.account,
            arn: identity.arn, checkedAt: Date())
        var all = try await sessionKeys()
        all.environments[environment.name] = keys
        try await all.save(sessionID: sessionID, vault: vault, on: database)
        try await audit.record(
            "aws.keys.enter", actor: actor.name, object: "aws:\(environment.name)",
            details: ["account": identity.account, "arn": identity.arn, "access_key_id": keyID], source: actor.source,
            sourceAddress: actor.address)
        return keys
    }

    /// Forgets the session's keys of an environment.
    func clearKeys(_ environment: AWSEnvironment) async throws {
        guard let sessionID else { return }
        var all = try await sessionKeys()
        guard all.environments.removeValue(forKey: environment.name) != nil else { return }
        try await all.save(sessionID: sessionID, vault: vault, on: database)
        try await audit.record(
            "aws.keys.clear", actor: actor.name, object: "aws:\(environment.name)", details: [:], source: actor.source,
            sourceAddress: actor.address)
    }
}
