import Testing

@testable import OpsCore

@Suite("Concurrency limiter")
struct ConcurrencyLimiterTests {
    struct Failed: Error {}

    @Test func aPermitIsGivenBackWhetherTheWorkSucceedsOrThrows() async throws {
        let limiter = ConcurrencyLimiter(limit: 1)
        #expect(try await limiter.withPermit { 42 } == 42)
        #expect(await limiter.running == 0)
        await #expect(throws: Failed.self) {
            try await limiter.withPermit { throw Failed() }
        }
        #expect(await limiter.running == 0)
    }

    @Test func atMostTheLimitRunAtOnceAndWaitersAreServedInOrder() async throws {
        let limiter = ConcurrencyLimiter(limit: 2)
        actor Log {
            var active = 0
            var peak = 0
            var order: [Int] = []
            func enter(_ id: Int) {
                active += 1
                peak = max(peak, active)
                order.append(id)
            }
            func leave() { active -= 1 }
        }
        let log = Log()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 0..<8 {
                group.addTask {
                    try await limiter.withPermit {
                        await log.enter(id)
                        try await Task.sleep(for: .milliseconds(10))
                        await log.leave()
                    }
                }
                try await Task.sleep(for: .milliseconds(2))
            }
            try await group.waitForAll()
        }
        #expect(await log.peak == 2)
        #expect(await log.order.count == 8)
        #expect(await limiter.running == 0)
        #expect(await limiter.waiting == 0)
    }
}
