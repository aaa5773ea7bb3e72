import Foundation

/// SSM Run Command over JSON 1.1 (`AmazonSSM.*`), in one account and region.
public struct SSMClient: SSMCommandAPI {
    public var client: AWSClient
    public var endpoint: AWSEndpoint

    /// Most instance ids one SendCommand takes.
    public static let maxInstancesPerCommand = 50

    /// A client at `endpoint` (from `AWSEndpointResolver.endpoint(for: .ssm, region:)`).
    public init(client: AWSClient, endpoint: AWSEndpoint) {
        self.client = client
        self.endpoint = endpoint
    }

    public func sendCommand(_ input: SSMSendCommandInput) async throws -> SSMCommand {
        guard (1...Self.maxInstancesPerCommand).contains(input.instanceIDs.count) else {
            throw AWSError.invalidRequest(
                reason:
                    "SendCommand takes 1 to \(Self.maxInstancesPerCommand) instance ids, not \(input.instanceIDs.count)"
            )
        }
        var parameters = ["commands": input.commands]
        if let timeout = input.executionTimeoutSeconds { parameters["executionTimeout"] = [String(timeout)] }
        let wire = SSMWire.SendCommandInput(
            DocumentName: input.documentName, InstanceIds: input.instanceIDs, Parameters: parameters,
            TimeoutSeconds: input.deliveryTimeoutSeconds, Comment: input.comment.map { String($0.prefix(100)) },
            MaxConcurrency: input.maxConcurrency, MaxErrors: input.maxErrors)
        let output = try await client.json(
            target: "AmazonSSM.SendCommand", wire, to: endpoint, as: SSMWire.SendCommandOutput.self)
        return SSMCommand(
            commandID: output.Command.CommandId, instanceIDs: output.Command.InstanceIds ?? input.instanceIDs,
            status: output.Command.Status ?? "Pending")
    }

    public func listCommandInvocations(commandID: String, nextToken: String?, maxResults: Int) async throws
        -> SSMPage<SSMCommandInvocation>
    {
        let wire = SSMWire.ListCommandInvocationsInput(
            CommandId: commandID, Details: true, MaxResults: min(50, max(1, maxResults)), NextToken: nextToken)
        let output = try await client.json(
            target: "AmazonSSM.ListCommandInvocations", wire, to: endpoint,
            as: SSMWire.ListCommandInvocationsOutput.self)
        let items = try (output.CommandInvocations ?? []).map { row in
            SSMCommandInvocation(
                commandID: row.CommandId, instanceID: row.InstanceId, status: try SSMWire.status(row.Status),
                statusDetails: row.StatusDetails ?? row.Status, responseCode: row.CommandPlugins?.first?.ResponseCode,
                output: row.CommandPlugins?.first?.Output)
        }
        return SSMPage(items: items, nextToken: output.NextToken.flatMap { $0.isEmpty ? nil : $0 })
    }

    public func getCommandInvocation(commandID: String, instanceID: String) async throws -> SSMInvocationResult {
        let output = try await client.json(
            target: "AmazonSSM.GetCommandInvocation",
            SSMWire.GetCommandInvocationInput(CommandId: commandID, InstanceId: instanceID), to: endpoint,
            as: SSMWire.GetCommandInvocationOutput.self)
        return SSMInvocationResult(
            status: try SSMWire.status(output.Status), statusDetails: output.StatusDetails ?? output.Status,
            responseCode: output.ResponseCode ?? -1, standardOutput: output.StandardOutputContent ?? "",
            standardError: output.StandardErrorContent ?? "")
    }

    public func cancelCommand(commandID: String, instanceIDs: [String]) async throws {
        _ = try await client.json(
            target: "AmazonSSM.CancelCommand",
            SSMWire.CancelCommandInput(CommandId: commandID, InstanceIds: instanceIDs.isEmpty ? nil : instanceIDs),
            to: endpoint, as: AWSEmptyJSON.self)
    }

    public func describeInstanceInformation(instanceIDs: [String], nextToken: String?) async throws
        -> SSMPage<SSMInstanceInformation>
    {
        let filters = instanceIDs.isEmpty ? nil : [SSMWire.Filter(Key: "InstanceIds", Values: instanceIDs)]
        let output = try await client.json(
            target: "AmazonSSM.DescribeInstanceInformation",
            SSMWire.DescribeInstanceInformationInput(Filters: filters, MaxResults: 50, NextToken: nextToken),
            to: endpoint, as: SSMWire.DescribeInstanceInformationOutput.self)
        let items = (output.InstanceInformationList ?? []).map {
            SSMInstanceInformation(
                instanceID: $0.InstanceId, pingStatus: $0.PingStatus ?? "Unknown", platformType: $0.PlatformType,
                platformName: $0.PlatformName, agentVersion: $0.AgentVersion, lastPingDateTime: $0.LastPingDateTime)
        }
        return SSMPage(items: items, nextToken: output.NextToken.flatMap { $0.isEmpty ? nil : $0 })
    }
}
