import Foundation
import OpsCore

@testable import OpsAWS

/// An in-memory SSM with AWS's rules: ≤50 ids per send, invisible right after the send (eventual consistency),
/// each invocation moving Pending → InProgress → its scripted end one step per list round, throttling on demand.
actor FakeSSM: SSMCommandAPI {
    struct Outcome: Sendable {
        var status: SSMInvocationStatus = .success
        var details = "Success"
        var code = 0
        var stdout = "ok\n"
        var stderr = ""
    }

    private(set) var sends: [SSMSendCommandInput] = []
    private(set) var listCalls = 0
    private(set) var getCalls = 0
    private(set) var cancels: [(String, [String])] = []
    private var rounds: [String: Int] = [:]
    private var commands: [String: SSMSendCommandInput] = [:]
    var outcomes: [String: Outcome] = [:]
    var throttleLists = 0
    var failLists = false
    var sendError: AWSError?
    /// List rounds during which a new command is not listed yet.
    var invisibleRounds = 1

    func set(_ instance: String, _ outcome: Outcome) { outcomes[instance] = outcome }
    func setThrottleLists(_ count: Int) { throttleLists = count }
    func setFailLists(_ fail: Bool) { failLists = fail }
    func setSendError(_ error: AWSError?) { sendError = error }

    func sendCommand(_ input: SSMSendCommandInput) async throws -> SSMCommand {
        if let sendError { throw sendError }
        guard (1...50).contains(input.instanceIDs.count) else {
            throw AWSError.service(code: "ValidationException", message: "50", requestID: nil, httpStatus: 400)
        }
        sends.append(input)
        let id = "cmd-\(sends.count)"
        commands[id] = input
        rounds[id] = 0
        return SSMCommand(commandID: id, instanceIDs: input.instanceIDs, status: "Pending")
    }

    func listCommandInvocations(commandID: String, nextToken: String?, maxResults: Int) async throws
        -> SSMPage<SSMCommandInvocation>
    {
        listCalls += 1
        if throttleLists > 0 {
            throttleLists -= 1
            throw AWSError.service(
                code: "ThrottlingException", message: "Rate exceeded", requestID: nil, httpStatus: 400)
        }
        if failLists {
            throw AWSError.service(code: "AccessDeniedException", message: "no", requestID: nil, httpStatus: 400)
        }
        guard let command = commands[commandID] else {
            throw AWSError.service(code: "InvalidCommandId", message: "", requestID: nil, httpStatus: 400)
        }
        let start = Int(nextToken ?? "0") ?? 0
        if nextToken == nil { rounds[commandID, default: 0] += 1 }
        let round = rounds[commandID, default: 0] - invisibleRounds
        guard round > 0 else { return SSMPage(items: [], nextToken: nil) }
        let rows = command.instanceIDs.map { id -> SSMCommandInvocation in
            let outcome = outcomes[id] ?? Outcome()
            if cancels.contains(where: { $0.0 == commandID && ($0.1.isEmpty || $0.1.contains(id)) }) {
                return SSMCommandInvocation(
                    commandID: commandID, instanceID: id, status: .cancelled, statusDetails: "Cancelled")
            }
            switch round {
            case 1:
                return SSMCommandInvocation(
                    commandID: commandID, instanceID: id, status: .pending, statusDetails: "Pending")
            case 2:
                return SSMCommandInvocation(
                    commandID: commandID, instanceID: id, status: .inProgress, statusDetails: "InProgress")
            default:
                return SSMCommandInvocation(
                    commandID: commandID, instanceID: id, status: outcome.status, statusDetails: outcome.details,
                    responseCode: outcome.code, output: String(outcome.stdout.prefix(2500)))
            }
        }
        let page = Array(rows[start..<min(start + maxResults, rows.count)])
        return SSMPage(items: page, nextToken: start + maxResults < rows.count ? String(start + maxResults) : nil)
    }

    func getCommandInvocation(commandID: String, instanceID: String) async throws -> SSMInvocationResult {
        getCalls += 1
        let outcome = outcomes[instanceID] ?? Outcome()
        return SSMInvocationResult(
            status: outcome.status, statusDetails: outcome.details, responseCode: outcome.code,
            standardOutput: String(outcome.stdout.prefix(24_000)), standardError: String(outcome.stderr.prefix(8_000)))
    }

    func cancelCommand(commandID: String, instanceIDs: [String]) async throws {
        cancels.append((commandID, instanceIDs))
    }

    func describeInstanceInformation(instanceIDs: [String], nextToken: String?) async throws
        -> SSMPage<SSMInstanceInformation>
    {
        SSMPage(items: instanceIDs.map { SSMInstanceInformation(instanceID: $0, pingStatus: "Online") }, nextToken: nil)
    }
}

/// Builds transports and invocations for the tests; sleeps return at once (yielding, so other tasks run).
enum SSMTestKit {
    static func options(window: Duration = .milliseconds(50)) -> SSMTransportOptions {
        var options = SSMTransportOptions()
        options.batchWindow = window
        options.sleep = { duration in
            if duration == window { try await Task.sleep(for: .milliseconds(50)) } else { await Task.yield() }
        }
        options.missingGrace = .seconds(3600)
        return options
    }

    static func invocation(_ index: Int, step: Int = 0, script: String = "echo ok\n") -> Invocation {
        Invocation(
            key: InvocationKey(target: index, step: step, phase: .action), target: "t\(index)",
            request: ExecRequest(command: "bash -s", timeout: .seconds(90), stdin: Array(script.utf8)),
            requiresAdmin: false)
    }

    static func instance(_ index: Int) -> String { String(format: "i-%017x", index) }

    /// Targets 0..<60 in COM us-east-1 account A, the rest in GOV us-gov-west-1 account B.
    static func transport(
        _ ssm: FakeSSM, options: SSMTransportOptions = options(),
        recorded: RecordedCommands = RecordedCommands(), recorderError: (any Error)? = nil
    ) -> SSMTransport {
        SSMTransport(
            options: options,
            resolve: { name in
                guard let index = Int(name.dropFirst()) else {
                    return .failure(TransportFailure(stage: "connect", message: "unknown \(name)"))
                }
                let scope =
                    index < 60
                    ? SSMScope(environment: "com", account: "111111111111", region: "us-east-1")
                    : SSMScope(environment: "gov", account: "222222222222", region: "us-gov-west-1")
                return .success(SSMTargetLocation(scope: scope, instanceID: instance(index), windows: false))
            },
            api: { _ in ssm },
            recorder: { keys, id, _, _ in
                if let recorderError { throw recorderError }
                await recorded.add(id, keys)
            })
    }

    /// Reads a stream to its end.
    static func collect(_ stream: AsyncStream<TransportEvent>) async -> [TransportEvent] {
        var events: [TransportEvent] = []
        for await event in stream { events.append(event) }
        return events
    }

    static func finished(_ events: [TransportEvent]) -> [InvocationKey: Result<ExecResult, TransportFailure>] {
        var result: [InvocationKey: Result<ExecResult, TransportFailure>] = [:]
        for case .finished(let key, let outcome) in events { result[key] = outcome }
        return result
    }
}

actor RecordedCommands {
    private(set) var commands: [String: [InvocationKey]] = [:]
    func add(_ id: String, _ keys: [InvocationKey]) { commands[id] = keys }
}
