import Foundation

/// SSM's JSON 1.1 shapes, as the API reference spells them (only the fields PCM-Ops sends or reads).
enum SSMWire {
    struct SendCommandInput: Encodable {
        var DocumentName: String
        var InstanceIds: [String]
        var Parameters: [String: [String]]
        var TimeoutSeconds: Int?
        var Comment: String?
        var MaxConcurrency: String?
        var MaxErrors: String?
    }

    struct SendCommandOutput: Decodable {
        struct Command: Decodable {
            var CommandId: String
            var InstanceIds: [String]?
            var Status: String?
        }
        var Command: Command
    }

    struct ListCommandInvocationsInput: Encodable {
        var CommandId: String
        var Details: Bool
        var MaxResults: Int
        var NextToken: String?
    }

    struct Plugin: Decodable {
        var ResponseCode: Int?
        var Output: String?
    }

    struct Invocation: Decodable {
        var CommandId: String
        var InstanceId: String
        var Status: String
        var StatusDetails: String?
        var CommandPlugins: [Plugin]?
    }

    struct ListCommandInvocationsOutput: Decodable {
        var CommandInvocations: [Invocation]?
        var NextToken: String?
    }

    struct GetCommandInvocationInput: Encodable {
        var CommandId: String
        var InstanceId: String
    }

    struct GetCommandInvocationOutput: Decodable {
        var Status: String
        var StatusDetails: String?
        var ResponseCode: Int?
        var StandardOutputContent: String?
        var StandardErrorContent: String?
    }

    struct CancelCommandInput: Encodable {
        var CommandId: String
        var InstanceIds: [String]?
    }

    struct Filter: Encodable {
        var Key: String
        var Values: [String]
    }

    struct DescribeInstanceInformationInput: Encodable {
        var Filters: [Filter]?
        var MaxResults: Int
        var NextToken: String?
    }

    struct InstanceInformation: Decodable {
        var InstanceId: String
        var PingStatus: String?
        var PlatformType: String?
        var PlatformName: String?
        var AgentVersion: String?
        var LastPingDateTime: Date?
    }

    struct DescribeInstanceInformationOutput: Decodable {
        var InstanceInformationList: [InstanceInformation]?
        var NextToken: String?
    }

    static func status(_ text: String) throws(AWSError) -> SSMInvocationStatus {
        guard let status = SSMInvocationStatus(rawValue: text) else {
            throw .malformedJSON(operation: "SSM", reason: "unknown invocation status '\(text)'")
        }
        return status
    }
}
