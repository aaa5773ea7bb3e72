import Fluent
import Foundation
import OpsAWS
import OpsCore

extension AWSAccess {
    /// Adds the organization's active accounts not configured yet, each with `roleName` to assume; the call is
    /// made with the environment's base credentials (they must be the management account's, or a delegate's).
    func importAccounts(_ environment: AWSEnvironment, roleName: String?) async throws -> [AWSAccount] {
        let roleName = try Self.checkedRoleName(roleName)
        let (base, _) = try await base(environment)
        let (client, endpoint) = try gateway.client(
            environment, service: .organizations, region: environment.defaultRegion, credentials: base)
        let found = try await OrganizationsClient(client: client, endpoint: endpoint).listAccounts()
        let existing = Set(try await accounts(environment).map(\.accountID))
        var added: [AWSAccount] = []
        for account in found where account.status == "ACTIVE" && !existing.contains(account.id) {
            // Organizations allows more in a name than an account label here takes: drop what the label refuses.
            let name = String(
                String(String.UnicodeScalarView(account.name.unicodeScalars.filter { !PlainName.isRefused($0) }))
                    .trimmingCharacters(in: .whitespaces).prefix(64))
            added.append(
                try await addAccount(
                    environment, accountID: account.id, name: name.isEmpty ? account.id : name, roleName: roleName))
        }
        return added
    }
}
