import Foundation
import OpsCore

/// Polls one command with ListCommandInvocations (Details=true, every page: ⌈n/50⌉ calls a round) at an adaptive
/// interval, fetches each finished invocation's full output with GetCommandInvocation, and reports it.
struct SSMPoller: Sendable {
    let commandID: String
    let client: any SSMCommandAPI
    let entries: [SSMEntry]
    let options: SSMTransportOptions

    func run() async {
        var open = Dictionary(entries.map { ($0.location.instanceID, $0) }, uniquingKeysWith: { first, _ in first })
        var started: Set<String> = []
        var seen: Set<String> = []
        var startedAt: [String: ContinuousClock.Instant] = [:]
        var failures = 0
        var interval = options.minPollInterval
        let sentAt = ContinuousClock.now
        while !open.isEmpty {
            let gone = open.filter { $0.value.sink.isGone }
            if !gone.isEmpty {
                try? await client.cancelCommand(commandID: commandID, instanceIDs: Array(gone.keys).sorted())
                for (id, entry) in gone {
                    entry.sink.yield(
                        .finished(
                            entry.invocation.key, .failure(TransportFailure(stage: "cancelled", message: "cancelled"))))
                    open[id] = nil
                }
                if open.isEmpty { return }
            }
            var changed = false
            do {
                var rows: [SSMCommandInvocation] = []
                var token: String?
                repeat {
                    let page = try await client.listCommandInvocations(
                        commandID: commandID, nextToken: token, maxResults: 50)
                    rows += page.items
                    token = page.nextToken
                } while token != nil
                failures = 0
                for row in rows {
                    guard let entry = open[row.instanceID] else { continue }
                    seen.insert(row.instanceID)
                    if row.status != .pending, !started.contains(row.instanceID) {
                        started.insert(row.instanceID)
                        startedAt[row.instanceID] = .now
                        entry.sink.yield(.started(entry.invocation.key))
                        changed = true
                    }
                    if row.status.isTerminal {
                        let since = startedAt[row.instanceID] ?? sentAt
                        await complete(entry, row, duration: ContinuousClock.now - since)
                        open[row.instanceID] = nil
                        changed = true
                    }
                }
                if ContinuousClock.now - sentAt > options.missingGrace {
                    for (id, entry) in open where !seen.contains(id) {
                        entry.sink.yield(
                            .finished(
                                entry.invocation.key,
                                .failure(
                                    TransportFailure(
                                        stage: "poll",
                                        message: "SSM never listed \(id) for command \(commandID)"))))
                        open[id] = nil
                    }
                }
            } catch {
                failures += 1
                if failures >= options.maxPollFailures {
                    for entry in open.values {
                        entry.sink.yield(
                            .finished(
                                entry.invocation.key,
                                .failure(
                                    TransportFailure(
                                        stage: "poll",
                                        message:
                                            "ListCommandInvocations for \(commandID) failed \(failures) times: \(error)"
                                    ))))
                    }
                    return
                }
            }
            if open.isEmpty { return }
            interval = changed ? options.minPollInterval : min(options.maxPollInterval, interval * 1.5)
            await pause(interval, watching: Array(open.values))
        }
    }

    /// Sleeps `interval` in slices of at most 250 ms, waking early when a consumer went away, so a cancelled run's
    /// commands are cancelled in SSM within a quarter of a second.
    private func pause(_ interval: Duration, watching entries: [SSMEntry]) async {
        var left = interval
        let slice = Duration.milliseconds(250)
        while left > .zero {
            let step = min(slice, left)
            do { try await options.sleep(step) } catch { return }
            left -= step
            if entries.contains(where: { $0.sink.isGone }) { return }
        }
    }

    /// The finished invocation's result: full output from GetCommandInvocation (retrying while SSM says it does
    /// not exist yet), else the 2,500 characters the list carried.
    private func complete(_ entry: SSMEntry, _ row: SSMCommandInvocation, duration: Duration) async {
        let key = entry.invocation.key
        let instance = row.instanceID
        var result: SSMInvocationResult?
        var listOnly = false
        for attempt in 0..<5 {
            do {
                result = try await client.getCommandInvocation(commandID: commandID, instanceID: instance)
                break
            } catch let error as AWSError where error.code == "InvocationDoesNotExist" && attempt < 4 {
                try? await options.sleep(.milliseconds(500 * (attempt + 1)))
            } catch {
                break
            }
        }
        if result == nil {
            listOnly = true
            result = SSMInvocationResult(
                status: row.status, statusDetails: row.statusDetails, responseCode: row.responseCode ?? -1,
                standardOutput: row.output ?? "", standardError: "")
        }
        guard let result else { return }
        entry.sink.yield(
            .finished(
                key,
                SSMOutcome.map(
                    result, instance: instance, commandID: commandID, duration: duration, listOnly: listOnly,
                    emit: { stream, text in
                        entry.sink.yield(.output(key, stream, Array(text.utf8)))
                    })))
    }
}
