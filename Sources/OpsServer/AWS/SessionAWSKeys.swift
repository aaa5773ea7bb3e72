import Fluent
import Foundation
import OpsAWS
import OpsCore

/// AWS keys a browser session entered on `/aws`, per environment, with who they were when checked. Kept only in
/// the session's row, sealed in the vault under a context naming the session, and gone when the session ends.
struct SessionAWSKeys: Codable, Sendable, Equatable {
    struct Keys: Codable, Sendable, Equatable {
        var accessKeyID: String
        var secretAccessKey: String
        var sessionToken: String?
        var account: String
        var arn: String
        var checkedAt: Date

        var credentials: AWSCredentials {
            AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
        }
    }

    var environments: [String: Keys] = [:]

    static func context(_ sessionID: UUID) -> String { "session-aws:\(sessionID.uuidString)" }

    /// The keys in `session`, or none (an unreadable value counts as none).
    static func load(_ session: UserSession, vault: Vault) -> SessionAWSKeys {
        guard let data = session.awsKeys, let id = session.id,
            let sealed = try? JSONDecoder().decode(SealedSecret.self, from: data),
            let plain = try? vault.open(sealed, context: context(id)),
            let keys = try? JSONDecoder().decode(SessionAWSKeys.self, from: plain)
        else { return SessionAWSKeys() }
        return keys
    }

    /// Seals and saves these keys into the session's row (clearing the column when there are none).
    func save(sessionID: UUID, vault: Vault, on database: any Database) async throws {
        let value: Data?
        if environments.isEmpty {
            value = nil
        } else {
            let sealed = try vault.seal(try JSONEncoder().encode(self), context: Self.context(sessionID))
            value = try JSONEncoder().encode(sealed)
        }
        try await UserSession.query(on: database).filter(\.$id == sessionID).set(\.$awsKeys, to: value).update()
    }
}
