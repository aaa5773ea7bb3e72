import Foundation
import OpsCore

/// Collects invocations from every `execute` call of a transport into groups that can share a SendCommand, and
/// sends a group when it holds 50 instances or when the batch window of its first member has passed.
actor SSMDispatcher {
    private let options: SSMTransportOptions
    private let api: @Sendable (SSMScope) async throws -> any SSMCommandAPI
    private let recorder: SSMCommandRecorder
    private var pending: [SSMGroupKey: [SSMEntry]] = [:]
    private var timers: [SSMGroupKey: Task<Void, Never>] = [:]

    init(
        options: SSMTransportOptions, api: @escaping @Sendable (SSMScope) async throws -> any SSMCommandAPI,
        recorder: @escaping SSMCommandRecorder
    ) {
        self.options = options
        self.api = api
        self.recorder = recorder
    }

    func enqueue(_ entries: [SSMEntry]) {
        for entry in entries {
            let key = SSMGroupKey(
                scope: entry.location.scope, document: SSMScript.document(windows: entry.location.windows),
                commands: SSMScript.commands(for: entry.invocation, windows: entry.location.windows),
                executionTimeout: SSMScript.executionTimeout(entry.invocation.request.timeout))
            pending[key, default: []].append(entry)
            if pending[key, default: []].count >= options.maxInstancesPerCommand {
                flush(key)
            } else if timers[key] == nil {
                let window = options.batchWindow
                let sleep = options.sleep
                timers[key] = Task {
                    try? await sleep(window)
                    await self.windowPassed(key)
                }
            }
        }
    }

    private func windowPassed(_ key: SSMGroupKey) {
        timers[key] = nil
        flush(key)
    }

    private func flush(_ key: SSMGroupKey) {
        timers.removeValue(forKey: key)?.cancel()
        guard let entries = pending.removeValue(forKey: key) else { return }
        var live: [SSMEntry] = []
        for entry in entries {
            if entry.sink.isGone {
                entry.sink.yield(.finished(entry.invocation.key, .failure(.cancelledBeforeStart)))
            } else {
                live.append(entry)
            }
        }
        let size = options.maxInstancesPerCommand
        for start in stride(from: 0, to: live.count, by: size) {
            let chunk = Array(live[start..<min(start + size, live.count)])
            let run = SSMCommandRun(key: key, entries: chunk, options: options, api: api, recorder: recorder)
            Task.detached { await run.send() }
        }
    }
}
