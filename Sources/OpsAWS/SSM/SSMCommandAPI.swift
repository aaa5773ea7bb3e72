import Foundation

/// The status of one instance's invocation of a command, as SSM reports it (`CommandInvocationStatus`).
public enum SSMInvocationStatus: String, Sendable, Codable, CaseIterable {
    case pending = "Pending"
    case inProgress = "InProgress"
    case delayed = "Delayed"
    case success = "Success"
    case cancelled = "Cancelled"
    case timedOut = "TimedOut"
    case failed = "Failed"
    case cancelling = "Cancelling"

    /// True once SSM will not change it again.
    public var isTerminal: Bool {
        switch self {
        case .success, .cancelled, .timedOut, .failed: true
        case .pending, .inProgress, .delayed, .cancelling: false
        }
    }
}

/// What `SendCommand` is asked to do: one document, one script, up to 50 instances.
public struct SSMSendCommandInput: Sendable, Equatable {
    /// `AWS-RunShellScript` or `AWS-RunPowerShellScript`.
    public var documentName: String
    /// 1 to 50 instance ids (SSM refuses more with a ValidationException).
    public var instanceIDs: [String]
    /// The document's `commands` parameter: the script's lines.
    public var commands: [String]
    /// The document's `executionTimeout` parameter, in seconds (SSM's default is 3600).
    public var executionTimeoutSeconds: Int?
    /// `TimeoutSeconds`: how long SSM tries to deliver the command before `DeliveryTimedOut` (30 s minimum).
    public var deliveryTimeoutSeconds: Int?
    /// `Comment` (100 characters at most).
    public var comment: String?
    /// `MaxConcurrency`: a number or a percentage, e.g. `50` or `10%`.
    public var maxConcurrency: String?
    /// `MaxErrors`: a number or a percentage.
    public var maxErrors: String?

    public init(
        documentName: String, instanceIDs: [String], commands: [String], executionTimeoutSeconds: Int? = nil,
        deliveryTimeoutSeconds: Int? = nil, comment: String? = nil, maxConcurrency: String? = nil,
        maxErrors: String? = nil
    ) {
        self.documentName = documentName
        self.instanceIDs = instanceIDs
        self.commands = commands
        self.executionTimeoutSeconds = executionTimeoutSeconds
        self.deliveryTimeoutSeconds = deliveryTimeoutSeconds
        self.comment = comment
        self.maxConcurrency = maxConcurrency
        self.maxErrors = maxErrors
    }
}

/// The command `SendCommand` created.
public struct SSMCommand: Sendable, Equatable {
    public var commandID: String
    public var instanceIDs: [String]
    public var status: String

    public init(commandID: String, instanceIDs: [String], status: String) {
        self.commandID = commandID
        self.instanceIDs = instanceIDs
        self.status = status
    }
}

/// One row of `ListCommandInvocations` (with `Details=true`).
public struct SSMCommandInvocation: Sendable, Equatable {
    public var commandID: String
    public var instanceID: String
    public var status: SSMInvocationStatus
    /// Finer than `status`: `DeliveryTimedOut`, `ExecutionTimedOut`, `Undeliverable`, `Terminated`, …
    public var statusDetails: String
    /// The script's exit code (the first plugin's `ResponseCode`); nil until it ran, -1 when SSM has none.
    public var responseCode: Int?
    /// The first plugin's `Output`: at most 2,500 characters, as `ListCommandInvocations` gives it.
    public var output: String?

    public init(
        commandID: String, instanceID: String, status: SSMInvocationStatus, statusDetails: String,
        responseCode: Int? = nil, output: String? = nil
    ) {
        self.commandID = commandID
        self.instanceID = instanceID
        self.status = status
        self.statusDetails = statusDetails
        self.responseCode = responseCode
        self.output = output
    }
}

/// `GetCommandInvocation`: the full output as SSM keeps it (standard output cut at 24,000 characters, standard
/// error at 8,000).
public struct SSMInvocationResult: Sendable, Equatable {
    public var status: SSMInvocationStatus
    public var statusDetails: String
    public var responseCode: Int
    public var standardOutput: String
    public var standardError: String

    public init(
        status: SSMInvocationStatus, statusDetails: String, responseCode: Int, standardOutput: String,
        standardError: String
    ) {
        self.status = status
        self.statusDetails = statusDetails
        self.responseCode = responseCode
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    /// SSM's limits for `GetCommandInvocation`'s output fields.
    public static let standardOutputLimit = 24_000
    public static let standardErrorLimit = 8_000
}

/// One row of `DescribeInstanceInformation`: whether the SSM agent on an instance is reachable.
public struct SSMInstanceInformation: Sendable, Equatable {
    public var instanceID: String
    /// `Online`, `ConnectionLost`, `Inactive`.
    public var pingStatus: String
    /// `Linux`, `Windows`, `MacOS`.
    public var platformType: String?
    public var platformName: String?
    public var agentVersion: String?
    public var lastPingDateTime: Date?

    public init(
        instanceID: String, pingStatus: String, platformType: String? = nil, platformName: String? = nil,
        agentVersion: String? = nil, lastPingDateTime: Date? = nil
    ) {
        self.instanceID = instanceID
        self.pingStatus = pingStatus
        self.platformType = platformType
        self.platformName = platformName
        self.agentVersion = agentVersion
        self.lastPingDateTime = lastPingDateTime
    }
}

/// A page of results and the token for the next one (nil on the last page).
public struct SSMPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextToken: String?

    public init(items: [Item], nextToken: String?) {
        self.items = items
        self.nextToken = nextToken
    }
}

/// The SSM Run Command calls PCM-Ops makes, in one account and region. `SSMClient` speaks them over JSON 1.1;
/// tests put an in-memory fake behind the same protocol. Errors are `AWSError`s (throttling is already retried
/// by `AWSClient`; what reaches the caller is final).
public protocol SSMCommandAPI: Sendable {
    func sendCommand(_ input: SSMSendCommandInput) async throws -> SSMCommand
    /// `ListCommandInvocations` for one command, `Details=true`, up to `maxResults` (1–50) rows a page.
    func listCommandInvocations(commandID: String, nextToken: String?, maxResults: Int) async throws
        -> SSMPage<SSMCommandInvocation>
    /// Throws `AWSError.service(code: "InvocationDoesNotExist", …)` for an invocation SSM does not know (yet).
    func getCommandInvocation(commandID: String, instanceID: String) async throws -> SSMInvocationResult
    /// `CancelCommand` for some instances of a command, or all of them when `instanceIDs` is empty.
    func cancelCommand(commandID: String, instanceIDs: [String]) async throws
    /// `DescribeInstanceInformation` filtered to `instanceIDs` (all managed instances when empty).
    func describeInstanceInformation(instanceIDs: [String], nextToken: String?) async throws
        -> SSMPage<SSMInstanceInformation>
}
