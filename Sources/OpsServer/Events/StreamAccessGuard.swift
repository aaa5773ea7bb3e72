import Foundation
import NIOConcurrencyHelpers

/// Ends a live stream (SSE, WebSocket) once whoever opened it may no longer read it: a revoked or
/// expired token, a signed-out or expired session, a disabled user. Authentication happens once,
/// when the stream opens, and a stream can stay open for hours; so every `interval` the guard asks
/// again, and on a no the stream ends with ``AccessEnded`` and delivers nothing more, not even
/// what was already waiting for the reader.
struct StreamAccessGuard: Sendable {
    /// Why a guarded stream ended early.
    struct AccessEnded: Error, CustomStringConvertible {
        var description: String { "the token or session that opened this stream is no longer valid" }
    }

    /// Time between two checks.
    var interval: Duration
    /// True while the stream may go on. A thrown error also ends the stream (fail closed: a client
    /// reconnects and is authenticated afresh), with that error.
    var isAllowed: @Sendable () async throws -> Bool

    /// `base`, ended by ``AccessEnded`` (or the check's error) at the first check that says no.
    /// From then on nothing more is delivered and `base` is cancelled.
    func guarding<Element: Sendable>(
        _ base: AsyncThrowingStream<Element, any Error>
    ) -> AsyncThrowingStream<Element, any Error> {
        let verdict = NIOLockedValueBox<(any Error)?>(nil)
        let (relay, continuation) = AsyncThrowingStream.makeStream(of: Element.self)
        let forward = Task {
            do {
                for try await element in base { continuation.yield(element) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        let watch = Task { [interval, isAllowed] in
            while true {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return  // cancelled: the stream ended first
                }
                let failure: any Error
                do {
                    if try await isAllowed() { continue }
                    failure = AccessEnded()
                } catch {
                    failure = error
                }
                // The verdict first, so the reader drops anything it takes from here on; then the
                // finish wakes a reader waiting for the next element.
                verdict.withLockedValue { $0 = failure }
                continuation.finish(throwing: failure)
                return
            }
        }
        // Runs once, whichever way the relay ends (base done, access ended, reader gone).
        continuation.onTermination = { _ in
            forward.cancel()
            watch.cancel()
        }
        let reader = RelayReader(iterator: relay.makeAsyncIterator(), verdict: verdict)
        return AsyncThrowingStream { try await reader.next() }
    }
}

/// Reads the relay for the one consumer of the guarded stream (`AsyncThrowingStream` calls its
/// unfolding closure once at a time, so the state is never used concurrently): an element taken
/// after the verdict is dropped and the verdict thrown instead, once; after any end, nil.
private final class RelayReader<Element: Sendable>: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<Element, any Error>.AsyncIterator
    private let verdict: NIOLockedValueBox<(any Error)?>
    private var ended = false

    init(iterator: AsyncThrowingStream<Element, any Error>.AsyncIterator, verdict: NIOLockedValueBox<(any Error)?>) {
        self.iterator = iterator
        self.verdict = verdict
    }

    func next() async throws -> Element? {
        guard !ended else { return nil }
        do {
            let element = try await iterator.next()
            if let failure = verdict.withLockedValue({ $0 }) { throw failure }
            if element == nil { ended = true }
            return element
        } catch {
            ended = true
            throw error
        }
    }
}
