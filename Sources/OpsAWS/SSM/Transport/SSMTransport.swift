import Foundation
import OpsCore

/// The engine's transport for EC2 instances through SSM Run Command (DESIGN.md §6): invocations from every
/// `execute` call are grouped into SendCommands of up to 50 instances per scope and script, each command is
/// polled with ListCommandInvocations at an adaptive interval, and finished invocations' output is fetched with
/// GetCommandInvocation. Command ids are handed to `recorder` before polling starts; `resume` polls a recorded
/// command after a restart without sending it again. When a batch's consumer stops reading (the run was
/// cancelled), its running invocations are cancelled with CancelCommand.
public struct SSMTransport: Transport {
    let resolve: @Sendable (String) -> Result<SSMTargetLocation, TransportFailure>
    let api: @Sendable (SSMScope) async throws -> any SSMCommandAPI
    let options: SSMTransportOptions
    let dispatcher: SSMDispatcher

    public init(
        options: SSMTransportOptions = SSMTransportOptions(),
        resolve: @escaping @Sendable (String) -> Result<SSMTargetLocation, TransportFailure>,
        api: @escaping @Sendable (SSMScope) async throws -> any SSMCommandAPI,
        recorder: @escaping SSMCommandRecorder
    ) {
        self.resolve = resolve
        self.api = api
        self.options = options
        self.dispatcher = SSMDispatcher(options: options, api: api, recorder: recorder)
    }

    public func execute(_ batch: [Invocation]) -> AsyncStream<TransportEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: TransportEvent.self)
        let sink = SSMBatchSink(continuation: continuation, keys: batch.map(\.key))
        continuation.onTermination = { _ in sink.markGone() }
        var entries: [SSMEntry] = []
        for invocation in batch {
            switch resolve(invocation.target) {
            case .success(let location):
                entries.append(SSMEntry(invocation: invocation, location: location, sink: sink))
            case .failure(let failure): sink.yield(.finished(invocation.key, .failure(failure)))
            }
        }
        if !entries.isEmpty {
            let dispatcher = self.dispatcher
            Task { await dispatcher.enqueue(entries) }
        }
        return stream
    }

    /// Polls a command sent before a restart until its invocations finish.
    public func resume(commandID: String, scope: SSMScope, invocations: [(key: InvocationKey, instanceID: String)])
        -> AsyncStream<TransportEvent>
    {
        let (stream, continuation) = AsyncStream.makeStream(of: TransportEvent.self)
        let sink = SSMBatchSink(continuation: continuation, keys: invocations.map(\.key))
        continuation.onTermination = { _ in sink.markGone() }
        let entries = invocations.map { item in
            SSMEntry(
                invocation: Invocation(
                    key: item.key, target: item.instanceID, request: ExecRequest(command: ""), requiresAdmin: false),
                location: SSMTargetLocation(scope: scope, instanceID: item.instanceID, windows: false), sink: sink)
        }
        let (api, options) = (self.api, self.options)
        Task {
            do {
                let client = try await api(scope)
                await SSMPoller(commandID: commandID, client: client, entries: entries, options: options).run()
            } catch {
                for entry in entries {
                    sink.yield(
                        .finished(entry.invocation.key, .failure(TransportFailure(stage: "poll", message: "\(error)"))))
                }
            }
        }
        return stream
    }
}
