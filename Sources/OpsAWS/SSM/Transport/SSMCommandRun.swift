import Foundation
import OpsCore

/// One SendCommand and the polling of its invocations until each has finished.
struct SSMCommandRun: Sendable {
    let key: SSMGroupKey
    let entries: [SSMEntry]
    let options: SSMTransportOptions
    let api: @Sendable (SSMScope) async throws -> any SSMCommandAPI
    let recorder: SSMCommandRecorder

    func send() async {
        let ids = entries.map(\.location.instanceID)
        let client: any SSMCommandAPI
        let commandID: String
        do {
            client = try await api(key.scope)
            let input = SSMSendCommandInput(
                documentName: key.document, instanceIDs: ids, commands: key.commands,
                executionTimeoutSeconds: key.executionTimeout, deliveryTimeoutSeconds: options.deliveryTimeoutSeconds,
                comment: String(options.comment.prefix(100)), maxConcurrency: String(ids.count), maxErrors: "100%")
            commandID = try await sendThroughThrottling(client, input)
        } catch {
            fail(entries, stage: "send", "SendCommand in \(key.scope) failed: \(error)")
            return
        }
        do {
            try await recorder(entries.map(\.invocation.key), commandID, key.scope, ids)
        } catch {
            try? await client.cancelCommand(commandID: commandID, instanceIDs: ids)
            fail(entries, stage: "record", "could not record SSM command \(commandID), so it was cancelled: \(error)")
            return
        }
        await SSMPoller(commandID: commandID, client: client, entries: entries, options: options).run()
    }

    /// A throttled SendCommand created nothing, so it is safe to send again: after the client's own retries,
    /// up to four more tries 1, 2, 4 and 8 s apart ride out a throttling storm.
    private func sendThroughThrottling(_ client: any SSMCommandAPI, _ input: SSMSendCommandInput) async throws
        -> String
    {
        var pause = Duration.seconds(1)
        for _ in 0..<4 {
            do {
                return try await client.sendCommand(input).commandID
            } catch let error as AWSError where error.isThrottling {
                try await options.sleep(pause)
                pause *= 2
            }
        }
        return try await client.sendCommand(input).commandID
    }

    func fail(_ entries: [SSMEntry], stage: String, _ message: String) {
        for entry in entries {
            entry.sink.yield(
                .finished(entry.invocation.key, .failure(TransportFailure(stage: stage, message: message))))
        }
    }
}
