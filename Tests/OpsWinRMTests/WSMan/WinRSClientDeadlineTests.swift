import Foundation
import Testing

@testable import OpsWinRM

@Suite("WinRS client: deadlines and cancellation", .timeLimit(.minutes(5)))
struct WinRSClientDeadlineTests {
    /// Without the mechanism under test these calls never return (the service hangs until the suite's time limit
    /// stops them); with it they return in milliseconds on an idle machine. The bound is loose because the suites
    /// run beside others on a loaded 2-core machine, where a task may wait seconds for a thread.
    static let loadedMachineBound: Duration = .seconds(20)

    @Test func aCommandPastItsDeadlineIsTerminatedAndItsShellDeleted() async throws {
        // setup: the service never answers the Receive
        let service = FakeWinRSService()
        service.script("Receive", .hangUntilCancelled)
        let client = WinRSClientTests.client(service)
        let start = ContinuousClock.now
        // act
        await #expect(throws: WSManError.deadlineExceeded(operation: "the command ping")) {
            _ = try await client.run(command: "ping", deadline: start + .milliseconds(300))
        }
        // assert
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < Self.loadedMachineBound)
        #expect(service.operations == ["Create", "Command", "Receive", "Signal", "Delete"])
        #expect(service.requests[3].signal == "terminate")
        #expect(service.requests[3].commandID == "COMMAND-1")
        #expect(service.requests[4].shellID == "SHELL-1")
        #expect(await client.openShellID == nil)
    }

    @Test func pollingAfterTimedOutFaultsStopsAtTheDeadline() async throws {
        // setup: the service keeps answering w:TimedOut (pywinrm#292 polled forever)
        let service = FakeWinRSService()
        for _ in 0..<100 { service.script("Receive", .after(.milliseconds(40), WinRSReplies.timedOutFault)) }
        let client = WinRSClientTests.client(service)
        let start = ContinuousClock.now
        // act
        await #expect(throws: WSManError.deadlineExceeded(operation: "the command sleep")) {
            _ = try await client.run(command: "sleep", deadline: start + .milliseconds(400))
        }
        // assert
        #expect(ContinuousClock.now - start < Self.loadedMachineBound)
        // polled again after the faults, and stopped long before the scripted ones ran out
        let receives = service.operations.filter { $0 == "Receive" }.count
        #expect(receives >= 2 && receives < 50)
        #expect(service.operations.suffix(2) == ["Signal", "Delete"])
    }

    @Test func theNextCommandAfterADeadlineGetsANewShell() async throws {
        let service = FakeWinRSService()
        service.script("Receive", .hangUntilCancelled)
        let client = WinRSClientTests.client(service)
        _ = try? await client.run(command: "hang", deadline: .now + .milliseconds(100))
        _ = try await client.run(command: "next", deadline: .now + .seconds(600))
        #expect(service.requests.filter { $0.operation == "Command" }.map(\.shellID) == ["SHELL-1", "SHELL-2"])
    }

    @Test func aDeadlineAlreadyPastSendsNothing() async throws {
        let service = FakeWinRSService()
        await #expect(throws: WSManError.deadlineExceeded(operation: "the command x")) {
            _ = try await WinRSClientTests.client(service).run(command: "x", deadline: .now - .seconds(1))
        }
        #expect(service.operations == [])
    }

    @Test func aHungCreateIsBoundedByTheDeadlineWithNothingToCleanUp() async throws {
        let service = FakeWinRSService()
        service.script("Create", .hangUntilCancelled)
        await #expect(throws: WSManError.self) {
            _ = try await WinRSClientTests.client(service).run(command: "x", deadline: .now + .milliseconds(100))
        }
        #expect(service.operations == ["Create"])
    }

    @Test func cancellationTerminatesTheCommandAndDeletesTheShellAtOnce() async throws {
        // setup: a long command whose Receive the service holds open
        let service = FakeWinRSService()
        service.script("Receive", .hangUntilCancelled)
        let client = WinRSClientTests.client(service)
        let task = Task { try await client.run(command: "Start-Sleep 3600", deadline: .now + .seconds(3600)) }
        try await waitUntil { service.operations.contains("Receive") }
        // act
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let result = await task.result
        // assert
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(service.operations == ["Create", "Command", "Receive", "Signal", "Delete"])
        let signal = service.requests[3]
        let delete = service.requests[4]
        #expect(signal.signal == "terminate")
        #expect(signal.commandID == "COMMAND-1")
        #expect(delete.shellID == "SHELL-1")
        #expect(signal.at - cancelledAt < Self.loadedMachineBound)
        #expect(delete.at - cancelledAt < Self.loadedMachineBound)
        #expect(ContinuousClock.now - cancelledAt < Self.loadedMachineBound)
        #expect(await client.openShellID == nil)
    }

    @Test func cancellationWhileSendingStdinCleansUpToo() async throws {
        let service = FakeWinRSService()
        service.script("Send", .hangUntilCancelled)
        let client = WinRSClientTests.client(service)
        let task = Task { try await client.run(command: "x", stdin: [1, 2, 3], deadline: .now + .seconds(3600)) }
        try await waitUntil { service.operations.contains("Send") }
        task.cancel()
        _ = await task.result
        #expect(service.operations == ["Create", "Command", "Send", "Signal", "Delete"])
    }

    @Test func cleanupThatHangsIsAbandonedAfterTheCleanupTimeout() async throws {
        // setup: the host stops answering entirely
        let service = FakeWinRSService()
        service.script("Receive", .hangUntilCancelled)
        service.script("Signal", .hangUntilCancelled)
        let client = WinRSClient(session: WinRSShellTests.session(service), cleanupTimeout: .milliseconds(200))
        let start = ContinuousClock.now
        // act
        await #expect(throws: WSManError.deadlineExceeded(operation: "the command x")) {
            _ = try await client.run(command: "x", deadline: start + .milliseconds(100))
        }
        // assert
        #expect(ContinuousClock.now - start < Self.loadedMachineBound)
        #expect(service.operations == ["Create", "Command", "Receive", "Signal"])
    }

    private func waitUntil(_ condition: @Sendable () -> Bool) async throws {
        let limit = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < limit else {
                Issue.record("condition not reached within 30 s")
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
