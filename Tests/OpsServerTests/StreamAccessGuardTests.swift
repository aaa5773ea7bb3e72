import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import OpsServer

/// The guard alone, with a hand-fed stream and a switchable check.
@Suite("Stream access guard")
struct StreamAccessGuardTests {
    struct DatabaseDown: Error {}

    /// A check the test flips from yes to no.
    final class Switch: Sendable {
        let allowed = NIOLockedValueBox(true)
        func ask() -> Bool { allowed.withLockedValue { $0 } }
        func deny() { allowed.withLockedValue { $0 = false } }
    }

    @Test func elementsPassWhileAllowedAndTheEndOfTheBaseEndsTheStream() async throws {
        // setup
        let (base, feed) = AsyncThrowingStream.makeStream(of: Int.self)
        let guarded = StreamAccessGuard(interval: .milliseconds(10)) { true }.guarding(base)
        // act
        for value in 1...3 { feed.yield(value) }
        feed.finish()
        // assert
        var received = [Int]()
        for try await value in guarded { received.append(value) }
        #expect(received == [1, 2, 3])
    }

    @Test func aNoEndsTheStreamCancelsTheBaseAndDropsWhatWasWaiting() async throws {
        try await withDeadline(seconds: 30) {
            // setup
            let (base, feed) = AsyncThrowingStream.makeStream(of: Int.self)
            let (baseEnded, signal) = AsyncStream.makeStream(of: Void.self)
            feed.onTermination = { _ in signal.yield() }
            let check = Switch()
            let guarded = StreamAccessGuard(interval: .milliseconds(20)) { check.ask() }.guarding(base)
            var iterator = guarded.makeAsyncIterator()
            feed.yield(1)
            let first = try await iterator.next()
            #expect(first == 1)
            feed.yield(2)  // produced while access holds, not read yet
            // act
            check.deny()
            // assert: the producer learns it may stop, and the reader gets the end, not 2
            var waiter = baseEnded.makeAsyncIterator()
            #expect(await waiter.next() != nil)
            await #expect(throws: StreamAccessGuard.AccessEnded.self) { _ = try await iterator.next() }
            let after = try await iterator.next()
            #expect(after == nil)
        }
    }

    @Test func aFailingCheckEndsTheStreamWithItsError() async throws {
        try await withDeadline(seconds: 30) {
            // setup: a stream that would otherwise never end
            let (base, feed) = AsyncThrowingStream.makeStream(of: Int.self)
            let guarded = StreamAccessGuard(interval: .milliseconds(20)) { throw DatabaseDown() }.guarding(base)
            // act
            var iterator = guarded.makeAsyncIterator()
            // assert
            await #expect(throws: DatabaseDown.self) { _ = try await iterator.next() }
            feed.finish()
        }
    }

    @Test func anErrorOfTheBasePassesThrough() async throws {
        // setup
        let (base, feed) = AsyncThrowingStream.makeStream(of: Int.self)
        let guarded = StreamAccessGuard(interval: .seconds(60)) { true }.guarding(base)
        // act
        feed.finish(throwing: DatabaseDown())
        // assert
        var iterator = guarded.makeAsyncIterator()
        await #expect(throws: DatabaseDown.self) { _ = try await iterator.next() }
    }
}
