import Foundation
import OpsAWS

extension AWSAccess {
    /// The instances a query names, from every account × region it covers at once; a scope that fails (no
    /// role, access denied, throttled past the retries) adds an error line instead of failing the others.
    func instances(_ query: EC2InstanceQuery) async throws -> ([EC2InstanceRow], errors: [String]) {
        let result = try await search(query)
        return (result.rows, result.errors + result.warnings)
    }

    /// What a search found: rows, EC2 failures per scope (`errors`), SSM status failures (`warnings`: the rows
    /// are still right, only their agent status is unknown).
    struct InstanceSearch: Sendable {
        var rows: [EC2InstanceRow] = []
        var errors: [String] = []
        var warnings: [String] = []
    }

    func search(_ query: EC2InstanceQuery) async throws -> InstanceSearch {
        let environment = query.environment
        let accounts: [String?] = query.accounts.isEmpty ? [nil] : query.accounts
        var scopes: [(account: String?, region: String, credentials: any AWSCredentialProvider)] = []
        for account in accounts {
            let credentials = try await credentials(environment, account: account)
            for region in query.regions { scopes.append((account, region, credentials)) }
        }
        let results = await withTaskGroup(of: Result<([EC2InstanceRow], String?), ScopeError>.self) { group in
            for scope in scopes {
                group.addTask {
                    do {
                        return .success(
                            try await describe(
                                environment, account: scope.account, region: scope.region,
                                credentials: scope.credentials, query: query))
                    } catch {
                        let label = "\(environment.name.uppercased()) \(scope.account ?? "own account") \(scope.region)"
                        return .failure(ScopeError(text: "\(label): \(error)"))
                    }
                }
            }
            var all: [Result<([EC2InstanceRow], String?), ScopeError>] = []
            for await result in group { all.append(result) }
            return all
        }
        var search = InstanceSearch()
        for result in results {
            switch result {
            case .success(let (found, warning)):
                search.rows += found
                if let warning { search.warnings.append(warning) }
            case .failure(let error): search.errors.append(error.text)
            }
        }
        let names = try await targetNames(forInstances: search.rows.map(\.instanceID))
        for index in search.rows.indices { search.rows[index].target = names[search.rows[index].instanceID] }
        search.rows.sort {
            ($0.account, $0.region, $0.name ?? "~", $0.instanceID) < (
                $1.account, $1.region, $1.name ?? "~", $1.instanceID
            )
        }
        search.errors.sort()
        search.warnings.sort()
        return search
    }

    private struct ScopeError: Error {
        var text: String
    }

    /// One account and region: DescribeInstances (every page), then the SSM agent status of what it found.
    private func describe(
        _ environment: AWSEnvironment, account: String?, region: String, credentials: any AWSCredentialProvider,
        query: EC2InstanceQuery
    ) async throws -> ([EC2InstanceRow], String?) {
        let accountID: String
        if let account {
            accountID = account
        } else {
            accountID = try await gateway.identity(environment, credentials).0.account
        }
        let (ec2Client, ec2Endpoint) = try gateway.client(
            environment, service: .ec2, region: region, credentials: credentials)
        var filters: [EC2Filter] = []
        if let state = query.state { filters.append(.state([state])) }
        if let tag = query.tag {
            let parts = tag.split(separator: "=", maxSplits: 1).map(String.init)
            filters.append(parts.count == 2 ? .tag(parts[0], [parts[1]]) : .tagKey([parts[0]]))
        }
        if let name = query.name { filters.append(.nameContains(name)) }
        let instances = try await EC2Client(client: ec2Client, endpoint: ec2Endpoint)
            .allInstances(filters: filters, instanceIDs: query.instanceIDs)
        let (ssmClient, ssmEndpoint) = try gateway.client(
            environment, service: .ssm, region: region, credentials: credentials)
        let ssm = SSMClient(client: ssmClient, endpoint: ssmEndpoint)
        var ping: [String: String] = [:]
        var warning: String?
        let ids = instances.map(\.instanceID)
        do {
            for start in stride(from: 0, to: ids.count, by: 50) {
                var token: String?
                repeat {
                    let page = try await ssm.describeInstanceInformation(
                        instanceIDs: Array(ids[start..<min(start + 50, ids.count)]), nextToken: token)
                    for info in page.items { ping[info.instanceID] = info.pingStatus }
                    token = page.nextToken
                } while token != nil
            }
        } catch {
            warning =
                "\(environment.name.uppercased()) \(accountID) \(region): SSM agent status unknown "
                + "(DescribeInstanceInformation: \(error))"
        }
        let rows = instances.map { instance in
            EC2InstanceRow(
                environment: environment.name, account: accountID, region: region, instanceID: instance.instanceID,
                name: instance.name, state: instance.state,
                platform: instance.platform == "windows" ? "windows" : "linux",
                platformDetails: instance.platformDetails, privateIP: instance.privateIPAddress,
                instanceType: instance.instanceType, tags: instance.tags, ssmPing: ping[instance.instanceID])
        }
        return (rows, warning)
    }
}
