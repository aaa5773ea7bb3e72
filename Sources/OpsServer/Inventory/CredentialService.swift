import Crypto
import Fluent
import Foundation
import OpsCore
import OpsSSH
import OpsWinRM

/// The secret inside a credential, as sealed in the vault.
public enum CredentialSecret: Sendable, Codable, Equatable {
    case sshKey(privateKey: String, passphrase: String?)
    case sshPassword(String)
    /// AWS keys for one environment (com | gov); the credential's `username` is the access key id.
    case awsKeys(environment: String, secretAccessKey: String, sessionToken: String?)
    /// The password of a Windows account; the credential's `username` is `DOMAIN\user`, `user@domain` or `user`.
    case winrmPassword(String)

    /// What the secret is, for messages that refuse it for a transport.
    var holds: String {
        switch self {
        case .sshKey: "an SSH key"
        case .sshPassword: "an SSH password"
        case .awsKeys: "AWS keys"
        case .winrmPassword: "a Windows account (winrm)"
        }
    }

    var kind: String {
        switch self {
        case .sshKey: "ssh_key"
        case .sshPassword: "ssh_password"
        case .awsKeys: "aws_keys"
        case .winrmPassword: "winrm"
        }
    }
}

/// Stored AWS keys, as ``CredentialService/awsKeys(_:)`` gives them.
public struct AWSKeyMaterial: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
}

/// Creates, lists and deletes credentials. Secrets go into the vault and never come back out
/// except to the transports, through ``open(_:)``.
public struct CredentialService: Sendable {
    static let kinds = ["ssh_key", "ssh_password", "aws_keys", "winrm"]

    let database: any Database
    let vault: Vault
    let audit: AuditLog

    public init(database: any Database, vault: Vault, audit: AuditLog) {
        self.database = database
        self.vault = vault
        self.audit = audit
    }

    /// Stores a new credential. An SSH key is parsed first: a damaged key or a wrong passphrase is
    /// refused now, not at the first run. RSA keys are kept (for the `openssh` transport). A `winrm`
    /// credential's `domain` is folded into its login (`DOMAIN\user`).
    @discardableResult
    public func create(
        name rawName: String, username: String, domain: String? = nil, secret: CredentialSecret,
        isDefault: Bool = false, by actor: AccountService.Actor
    ) async throws -> Credential {
        let name = try TargetName.validate(rawName).orInvalid("name")
        var user = try Self.login(username, kind: secret.kind)
        if let domain, !domain.isEmpty {
            guard secret.kind == "winrm" else {
                throw InventoryServiceError.invalid(field: "domain", message: "only for kind winrm")
            }
            user = try WindowsLogin.combine(user, domain: domain)
        }
        guard try await Credential.query(on: database).filter(\.$name == name).first() == nil else {
            throw InventoryServiceError.duplicate(kind: "credential", name: name)
        }
        if case .awsKeys(let environment, _, _) = secret, let existing = try await awsKeys(environment) {
            throw InventoryServiceError.conflict(
                field: "aws_environment",
                message: "credential '\(existing.0.name)' already holds the \(environment) keys; remove it first")
        }
        let credential = Credential()
        credential.id = UUID()
        credential.name = name
        credential.kind = secret.kind
        credential.username = user
        credential.summary = try Self.summarize(secret, name: name, username: user)
        credential.isDefault = isDefault
        try seal(secret, into: credential)
        try await database.retryingTransaction { database in
            if isDefault {
                try await Credential.query(on: database).set(\.$isDefault, to: false).update()
            }
            try await credential.create(on: database)
        }
        try await audit.record(
            "credential.create", actor: actor.name, object: "credential:\(name)",
            details: ["kind": secret.kind, "username": user], source: actor.source, sourceAddress: actor.address)
        return credential
    }

    /// The credential with the same secret and login name, if one exists (import deduplication).
    public func findDuplicate(of secret: CredentialSecret, username: String) async throws -> Credential? {
        let mac = try contentMAC(secret, username: username)
        return try await Credential.query(on: database).filter(\.$contentMAC == mac).first()
    }

    public func list() async throws -> [Credential] {
        try await Credential.query(on: database).sort(\.$name).all()
    }

    public func find(_ name: String) async throws -> Credential? {
        try await Credential.query(on: database).filter(\.$name == name).first()
    }

    public func require(_ name: String) async throws -> Credential {
        guard let credential = try await find(name) else {
            throw InventoryServiceError.notFound(kind: "credential", name: name)
        }
        return credential
    }

    /// Deletes a credential; targets and groups that used it fall back to their group or the default.
    public func delete(_ name: String, by actor: AccountService.Actor) async throws {
        let credential = try await require(name)
        try await credential.delete(on: database)
        try await audit.record(
            "credential.delete", actor: actor.name, object: "credential:\(name)", source: actor.source,
            sourceAddress: actor.address)
    }

    /// The stored `aws_keys` credential of an environment (com | gov), with its keys.
    public func awsKeys(_ environment: String) async throws -> (Credential, AWSKeyMaterial)? {
        for credential in try await Credential.query(on: database).filter(\.$kind == "aws_keys").all() {
            if case .awsKeys(let env, let secret, let token) = try open(credential), env == environment {
                return (
                    credential,
                    AWSKeyMaterial(accessKeyID: credential.username, secretAccessKey: secret, sessionToken: token)
                )
            }
        }
        return nil
    }

    /// Decrypts a credential's secret for a transport.
    public func open(_ credential: Credential) throws -> CredentialSecret {
        let sealed = SealedSecret(keyID: credential.keyID, nonce: credential.nonce, ciphertext: credential.ciphertext)
        let data = try vault.open(sealed, context: "credential:\(try credential.requireID())")
        return try JSONDecoder().decode(CredentialSecret.self, from: data)
    }

    private func seal(_ secret: CredentialSecret, into credential: Credential) throws {
        let sealed = try vault.seal(
            try JSONEncoder().encode(secret), context: "credential:\(try credential.requireID())")
        credential.keyID = sealed.keyID
        credential.nonce = sealed.nonce
        credential.ciphertext = sealed.ciphertext
        credential.contentMAC = try contentMAC(secret, username: credential.username)
    }

    /// HMAC-SHA256 under a key derived from the vault key: equal secrets give equal MACs, and the MAC
    /// tells nothing about the secret to someone without the key.
    private func contentMAC(_ secret: CredentialSecret, username: String) throws -> String {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: vault.current.symmetricKey, info: Data("pcm-ops credential mac v1".utf8),
            outputByteCount: 32)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var message = Data(username.utf8)
        message.append(0)
        message.append(try encoder.encode(secret))
        return HMAC<SHA256>.authenticationCode(for: message, using: key).map { String(format: "%02x", $0) }.joined()
    }

    /// The login name, trimmed and checked for the kind: a POSIX login, or a Windows account
    /// (``WindowsLogin``) for `winrm`.
    static func login(_ username: String, kind: String) throws -> String {
        let user = username.trimmingCharacters(in: .whitespaces)
        if kind == "winrm" { return try WindowsLogin.validate(user, field: "username") }
        // Length in code points, as openapi.yaml's LoginName pattern counts.
        guard !user.isEmpty, user.unicodeScalars.count <= 64,
            !user.contains(where: { $0.isWhitespace || $0 == "@" || $0 == ":" })
        else {
            throw InventoryServiceError.invalid(
                field: "username", message: "must be a login name without spaces, '@' or ':'")
        }
        return user
    }

    /// Key type and fingerprint for lists; refuses keys that cannot be read.
    static func summarize(_ secret: CredentialSecret, name: String, username: String) throws -> String {
        switch secret {
        case .sshPassword: return "password"
        case .winrmPassword:
            let domain = WinRMCredential(login: username, password: "").domain
            return domain.isEmpty ? "windows local account" : "windows account of \(domain)"
        case .awsKeys(let environment, _, let token): return "aws \(environment)\(token == nil ? "" : " temporary")"
        case .sshKey(let text, let passphrase):
            do {
                let key = try OpenSSHPrivateKeyParser.parse(text, passphrase: passphrase, target: name)
                return "\(key.keyType) \(key.fingerprint)"
            } catch SSHError.unsupportedKeyType(_, let keyType) {
                return "\(keyType) (openssh transport only)"
            } catch {
                // Key text of any shape is well formed for openapi.yaml; one the server cannot read is a 422.
                throw InventoryServiceError.unusable(field: "private_key", message: String(describing: error))
            }
        }
    }
}
