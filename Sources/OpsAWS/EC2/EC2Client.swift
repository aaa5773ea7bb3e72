import Foundation

/// EC2 over its Query dialect (API version 2016-11-15): DescribeInstances.
public struct EC2Client: Sendable {
    public var client: AWSClient
    public var endpoint: AWSEndpoint

    /// A client at `endpoint` (from `AWSEndpointResolver.endpoint(for: .ec2, region:)`).
    public init(client: AWSClient, endpoint: AWSEndpoint) {
        self.client = client
        self.endpoint = endpoint
    }

    /// One page. `maxResults` (5–1000) cannot go with instance ids, as EC2 rules; it is dropped then.
    public func describeInstances(
        filters: [EC2Filter] = [], instanceIDs: [String] = [], maxResults: Int? = nil, nextToken: String? = nil
    ) async throws -> EC2InstancePage {
        var request = AWSQueryRequest(
            action: "DescribeInstances", version: AWSService.ec2.queryVersion ?? "", listStyle: .ec2)
        if !filters.isEmpty {
            request.add(
                "Filter",
                .list(
                    filters.map {
                        .structure(["Name": .string($0.name), "Value": .list($0.values.map(AWSQueryValue.string))])
                    }))
        }
        if !instanceIDs.isEmpty { request.add("InstanceId", .list(instanceIDs.map(AWSQueryValue.string))) }
        if let maxResults, instanceIDs.isEmpty {
            request.add("MaxResults", .string(String(min(1000, max(5, maxResults)))))
        }
        if let nextToken { request.add("NextToken", .string(nextToken)) }
        let response = try await client.query(request, to: endpoint, protocol: .ec2)
        var instances: [EC2Instance] = []
        for reservation in response.items("reservationSet") {
            for item in reservation.items("instancesSet") { instances.append(try EC2Instance(item: item)) }
        }
        let token = response.string("nextToken").flatMap { $0.isEmpty ? nil : $0 }
        return EC2InstancePage(instances: instances, nextToken: token)
    }

    /// Every page, up to `limit` instances (so a huge account cannot exhaust memory).
    public func allInstances(filters: [EC2Filter] = [], instanceIDs: [String] = [], limit: Int = 10_000) async throws
        -> [EC2Instance]
    {
        var all: [EC2Instance] = []
        var token: String?
        repeat {
            let page = try await describeInstances(
                filters: filters, instanceIDs: instanceIDs, maxResults: instanceIDs.isEmpty ? 1000 : nil,
                nextToken: token)
            all += page.instances
            token = page.nextToken
        } while token != nil && all.count < limit
        return Array(all.prefix(limit))
    }
}
