import Foundation
import OpsAWS

extension AWSAccess {
    /// Adds the organization's active accounts not configured yet, each with `roleName` to assume.
    func importAccounts(_ environment: AWSEnvironment, roleName: String?) async throws -> [AWSAccount] {
        throw InventoryServiceError.invalid(field: "environment", message: "Organizations import pending")
    }
}
