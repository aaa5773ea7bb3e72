import Foundation
import OpsAWS

/// What the instance browser, `GET /api/v1/aws/instances` and `pcm-ops aws instances` ask for: one environment,
/// some accounts (the credentials' own when none), some regions (the environment's default when none), filters.
struct EC2InstanceQuery: Sendable, Equatable {
    var environment: AWSEnvironment
    /// Account ids; empty means the credentials' own account.
    var accounts: [String] = []
    var regions: [String] = []
    /// pending | running | stopping | stopped | shutting-down | terminated
    var state: String?
    /// `Key=Value` (or `Key` alone: the tag exists).
    var tag: String?
    /// Part of the Name tag.
    var name: String?
    var instanceIDs: [String] = []

    static let states = ["pending", "running", "stopping", "stopped", "shutting-down", "terminated"]
    /// Most account × region pairs one query may fan out to.
    static let maxScopes = 40

    /// Checks every field, naming the first one that is wrong.
    func validated() throws -> EC2InstanceQuery {
        var query = self
        if query.regions.isEmpty { query.regions = [environment.defaultRegion] }
        for region in query.regions where !AWSEnvironment.isWellFormed(region) {
            throw InventoryServiceError.invalid(
                field: "region", message: "'\(region)' is not a region name (us-east-1)")
        }
        // A well-formed region of another partition is the one thing openapi.yaml cannot say: a 422.
        for region in query.regions where !environment.contains(region: region) {
            throw InventoryServiceError.unusable(
                field: "region", message: "'\(region)' is not a region of environment \(environment.name)")
        }
        for account in query.accounts where !(account.count == 12 && account.allSatisfy { $0.isASCII && $0.isNumber }) {
            throw InventoryServiceError.invalid(field: "account", message: "must be 12 digits, got '\(account)'")
        }
        if let state, !Self.states.contains(state) {
            throw InventoryServiceError.invalid(
                field: "state", message: "'\(state)' is not one of \(Self.states.joined(separator: ", "))")
        }
        // Lengths in code points, as openapi.yaml's maxLength counts them.
        if let tag, tag.isEmpty || tag.unicodeScalars.count > 256 || tag.hasPrefix("=") {
            throw InventoryServiceError.invalid(field: "tag", message: "Key=Value or Key, up to 256 characters")
        }
        if let name, name.unicodeScalars.count > 128 {
            throw InventoryServiceError.invalid(field: "name", message: "at most 128 characters")
        }
        for id in query.instanceIDs where !Self.isInstanceID(id) {
            throw InventoryServiceError.invalid(field: "instance_id", message: "'\(id)' is not an instance id (i-…)")
        }
        // Each list is well formed; their product is what a schema cannot bound: a 422.
        guard max(query.accounts.count, 1) * query.regions.count <= Self.maxScopes else {
            throw InventoryServiceError.unusable(
                field: "region", message: "at most \(Self.maxScopes) account × region pairs at once")
        }
        return query
    }

    static func isInstanceID(_ text: String) -> Bool {
        text.hasPrefix("i-") && (10...19).contains(text.count)
            && text.dropFirst(2).allSatisfy { $0.isASCII && ($0.isNumber || ("a"..."f").contains($0)) }
    }
}
