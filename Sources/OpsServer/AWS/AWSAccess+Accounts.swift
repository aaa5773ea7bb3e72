import Fluent
import Foundation
import OpsAWS
import OpsCore

extension AWSAccess {
    /// The configured accounts, by environment then name.
    func accounts(_ environment: AWSEnvironment? = nil) async throws -> [AWSAccount] {
        var query = AWSAccount.query(on: database)
        if let environment { query = query.filter(\.$environment == environment.name) }
        return try await query.sort(\.$environment).sort(\.$name).all()
    }

    /// Adds an account; the id is 12 digits, the role name IAM's characters (empty: no role to assume).
    @discardableResult
    func addAccount(_ environment: AWSEnvironment, accountID: String, name: String, roleName: String?) async throws
        -> AWSAccount
    {
        let id = accountID.trimmingCharacters(in: .whitespaces)
        guard id.count == 12, id.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw InventoryServiceError.invalid(field: "account_id", message: "must be 12 digits, got '\(accountID)'")
        }
        let label = name.trimmingCharacters(in: .whitespaces)
        // In code points, as openapi.yaml's pattern counts.
        guard (1...64).contains(label.unicodeScalars.count) else {
            throw InventoryServiceError.invalid(
                field: "name", message: "1 to 64 characters, got \(label.unicodeScalars.count)")
        }
        if let problem = PlainName.problem(label) {
            throw InventoryServiceError.invalid(field: "name", message: problem)
        }
        let role = try Self.checkedRoleName(roleName)
        let exists = try await AWSAccount.query(on: database)
            .filter(\.$environment == environment.name).filter(\.$accountID == id).first()
        guard exists == nil else {
            throw InventoryServiceError.duplicate(kind: "\(environment.name) account", name: id)
        }
        let account = AWSAccount()
        account.environment = environment.name
        account.accountID = id
        account.name = label
        account.roleName = role
        try await database.retryingTransaction { try await account.create(on: $0) }
        try await audit.record(
            "aws.account.add", actor: actor.name, object: "aws:\(environment.name):\(id)",
            details: ["name": label, "role_name": account.roleName ?? ""], source: actor.source,
            sourceAddress: actor.address)
        return account
    }

    /// An IAM role name (up to 64 of letters, digits and `+=,.@_-`), or nil when empty.
    static func checkedRoleName(_ text: String?) throws -> String? {
        guard let role = text?.trimmingCharacters(in: .whitespaces), !role.isEmpty else { return nil }
        let allowed = Set("+=,.@_-")
        guard role.unicodeScalars.count <= 64,
            role.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || allowed.contains($0)) })
        else {
            throw InventoryServiceError.invalid(
                field: "role_name", message: "up to 64 letters, digits and +=,.@_- (an IAM role name)")
        }
        return role
    }

    /// Removes an account by environment and id.
    func removeAccount(_ environment: AWSEnvironment, accountID: String) async throws {
        guard
            let account = try await AWSAccount.query(on: database)
                .filter(\.$environment == environment.name).filter(\.$accountID == accountID).first()
        else { throw InventoryServiceError.notFound(kind: "\(environment.name) account", name: accountID) }
        try await database.retryingTransaction { try await account.delete(on: $0) }
        await gateway.roles.clear()
        try await audit.record(
            "aws.account.remove", actor: actor.name, object: "aws:\(environment.name):\(accountID)", details: [:],
            source: actor.source, sourceAddress: actor.address)
    }
}
