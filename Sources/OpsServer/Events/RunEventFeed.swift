import Foundation
import OpsCore

/// One client's view of a run's events from `after` on: first what the database holds, then live
/// events from this process's bus, with a database read whenever the live stream skips a number
/// (it drops the oldest when a client falls behind) and every second (runs driven by another
/// process publish nothing here). So a client sees every event once, in order, and a slow one
/// costs bounded memory. The stream ends after `run.finished`.
struct RunEventFeed {
    let service: RunService
    let bus: RunEventBus

    enum Input: Sendable {
        case event(RunEventMessage)
        case tick
    }

    func events(run publicID: String, after: Int) -> AsyncThrowingStream<RunEventMessage, any Error> {
        let (output, continuation) = AsyncThrowingStream.makeStream(of: RunEventMessage.self)
        let service = self.service
        let bus = self.bus
        let task = Task {
            let live = await bus.subscribe(run: publicID)
            let (inbox, mailbox) = AsyncStream.makeStream(of: Input.self, bufferingPolicy: .bufferingNewest(10_000))
            let forward = Task {
                for await event in live { mailbox.yield(.event(event)) }
            }
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    mailbox.yield(.tick)
                }
            }
            defer {
                forward.cancel()
                ticker.cancel()
            }
            var last = max(0, after)
            let runID: UUID
            do {
                runID = try await service.find(publicID).requireID()
            } catch {
                continuation.finish(throwing: error)
                return
            }
            /// Sends what the database has after `last`; true once the run has finished.
            func catchUp() async throws -> Bool {
                while true {
                    let events = try await service.events(runID: runID, after: last, limit: 1000)
                    for event in events {
                        continuation.yield(event)
                        last = event.seq
                        if event.kind == "run.finished" { return true }
                    }
                    if events.count < 1000 { break }
                }
                // Nothing more: a run that has ended (and whose end the client has seen, or which
                // ended without one, like a run recovered by an older version) closes the stream.
                guard let run = try await Run.find(runID, on: service.database),
                    let status = RunStatus(rawValue: run.status), status.isTerminal
                else { return false }
                let latest = try await service.events(runID: runID, after: last, limit: 1)
                return latest.isEmpty
            }
            do {
                if try await catchUp() {
                    continuation.finish()
                    return
                }
                reading: for await input in inbox {
                    switch input {
                    case .event(let event):
                        if event.seq <= last { continue }
                        if event.seq == last + 1 {
                            continuation.yield(event)
                            last = event.seq
                            if event.kind == "run.finished" { break reading }
                        } else if try await catchUp() {
                            break reading
                        }
                    case .tick:
                        if try await catchUp() { break reading }
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return output
    }
}
