import Testing

@testable import OpsAWS

@Suite("RetryPolicy")
struct RetryPolicyTests {
    struct FixedRandom: RandomSource {
        var value: Double
        func nextUnitInterval() -> Double { value }
    }

    struct NotAnAWSError: Error {}

    static let throttled = AWSError.service(code: "ThrottlingException", message: "", requestID: nil, httpStatus: 400)
    static let denied = AWSError.service(code: "AccessDenied", message: "", requestID: nil, httpStatus: 403)

    let policy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100), maxDelay: .seconds(1))

    @Test func ceilingsDoubleUpToTheCap() {
        #expect(
            (1...6).map { policy.delayCeiling(beforeRetry: $0) } == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
                .seconds(1),
            ])
        #expect(policy.delayCeiling(beforeRetry: 10_000) == .seconds(1))
    }

    @Test func fullJitterScalesTheCeilingByTheRandomFraction() {
        #expect(policy.delay(beforeRetry: 3, random: FixedRandom(value: 0.5)) == .milliseconds(200))
        #expect(policy.delay(beforeRetry: 3, random: FixedRandom(value: 0)) == .zero)
        #expect(policy.delay(beforeRetry: 3, random: FixedRandom(value: 0.999_999)) < .milliseconds(400))
        #expect(policy.delay(beforeRetry: 3, random: FixedRandom(value: 7)) == .milliseconds(400))
    }

    @Test func theSystemSourceStaysInTheUnitInterval() {
        let source = SystemRandomSource()
        for _ in 0..<1000 {
            #expect((0..<1).contains(source.nextUnitInterval()))
        }
    }

    @Test func retriesThrottlingUntilItSucceeds() async throws {
        // setup
        var attempts = 0
        var sleeps: [Duration] = []
        // act
        let value = try await policy.run(random: FixedRandom(value: 0.5), sleep: { sleeps.append($0) }) {
            attempts += 1
            if attempts < 3 { throw Self.throttled }
            return "ok"
        }
        // assert
        #expect(value == "ok")
        #expect(attempts == 3)
        #expect(sleeps == [.milliseconds(50), .milliseconds(100)])
    }

    @Test func givesUpAfterMaxAttemptsWithTheLastError() async {
        // setup
        var attempts = 0
        var sleeps = 0
        // act / assert
        await #expect(throws: Self.throttled) {
            try await policy.run(random: FixedRandom(value: 0), sleep: { _ in sleeps += 1 }) {
                attempts += 1
                throw Self.throttled
            }
        }
        #expect(attempts == 4)
        #expect(sleeps == 3)
    }

    @Test func anAWSErrorThatIsNotThrottlingIsNotRetried() async {
        // setup
        var attempts = 0
        // act / assert
        await #expect(throws: Self.denied) {
            try await policy.run(random: FixedRandom(value: 0), sleep: { _ in Issue.record("slept") }) {
                attempts += 1
                throw Self.denied
            }
        }
        #expect(attempts == 1)
    }

    @Test func otherErrorsAreNotRetried() async {
        // setup
        var attempts = 0
        // act / assert
        await #expect(throws: NotAnAWSError.self) {
            try await policy.run(random: FixedRandom(value: 0), sleep: { _ in Issue.record("slept") }) {
                attempts += 1
                throw NotAnAWSError()
            }
        }
        #expect(attempts == 1)
    }

    @Test func cancellationDuringTheWaitEndsTheLoop() async {
        // setup
        var attempts = 0
        // act / assert
        await #expect(throws: CancellationError.self) {
            try await policy.run(random: FixedRandom(value: 0), sleep: { _ in throw CancellationError() }) {
                attempts += 1
                throw Self.throttled
            }
        }
        #expect(attempts == 1)
    }

    @Test func aCancelledTaskStopsRetrying() async {
        // setup
        let task = Task {
            var attempts = 0
            _ = try? await policy.run(random: FixedRandom(value: 0), sleep: { _ in }) { () async throws -> Int in
                attempts += 1
                withUnsafeCurrentTask { $0?.cancel() }
                throw Self.throttled
            }
            return attempts
        }
        // act
        let attempts = await task.value
        // assert
        #expect(attempts == 1)
    }

    @Test func atLeastOneAttempt() async throws {
        // setup
        let once = RetryPolicy(maxAttempts: 0)
        var attempts = 0
        // act
        _ = try? await once.run(random: FixedRandom(value: 0), sleep: { _ in }) { () async throws -> Int in
            attempts += 1
            throw Self.throttled
        }
        // assert
        #expect(once.maxAttempts == 1)
        #expect(attempts == 1)
        #expect(!once.shouldRetry(Self.throttled, afterAttempt: 1))
    }
}
