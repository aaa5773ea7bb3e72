import Foundation

/// An account of the organization, as ListAccounts gives it.
public struct OrganizationAccount: Sendable, Equatable {
    public var id: String
    public var name: String
    public var email: String?
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`.
    public var status: String
    public var arn: String?
}

/// AWS Organizations over JSON 1.1 (`AWSOrganizationsV20161128.*`), called in the partition's home region.
public struct OrganizationsClient: Sendable {
    public var client: AWSClient
    public var endpoint: AWSEndpoint

    public init(client: AWSClient, endpoint: AWSEndpoint) {
        self.client = client
        self.endpoint = endpoint
    }

    struct Input: Encodable {
        var NextToken: String?
    }

    struct Output: Decodable {
        struct Account: Decodable {
            var Id: String
            var Name: String?
            var Email: String?
            var Status: String?
            var Arn: String?
        }
        var Accounts: [Account]?
        var NextToken: String?
    }

    /// Every account, following NextToken (at most `limit`).
    public func listAccounts(limit: Int = 5000) async throws -> [OrganizationAccount] {
        var accounts: [OrganizationAccount] = []
        var token: String?
        repeat {
            let page = try await client.json(
                target: "AWSOrganizationsV20161128.ListAccounts", Input(NextToken: token), to: endpoint, as: Output.self
            )
            accounts += (page.Accounts ?? []).map {
                OrganizationAccount(
                    id: $0.Id, name: $0.Name ?? $0.Id, email: $0.Email, status: $0.Status ?? "ACTIVE", arn: $0.Arn)
            }
            token = page.NextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil && accounts.count < limit
        return accounts
    }
}
