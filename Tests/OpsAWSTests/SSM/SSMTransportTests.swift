import Foundation
import OpsCore
import Testing

@testable import OpsAWS

@Suite("SSM transport")
struct SSMTransportTests {
    @Test func a120TargetBatchOverTwoScopesIsFourCommandsOfAtMost50() async throws {
        // setup
        let ssm = FakeSSM()
        let recorded = RecordedCommands()
        let transport = SSMTestKit.transport(ssm, recorded: recorded)
        // act
        let events = await SSMTestKit.collect(transport.execute((0..<120).map { SSMTestKit.invocation($0) }))
        // assert
        let sends = await ssm.sends
        #expect(sends.count == 4)
        #expect(sends.allSatisfy { $0.instanceIDs.count <= 50 })
        #expect(Set(sends.flatMap(\.instanceIDs)).count == 120)
        let finished = SSMTestKit.finished(events)
        #expect(finished.count == 120)
        #expect(finished.values.allSatisfy { (try? $0.get().exitStatus) == 0 })
        #expect(await recorded.commands.count == 4)
        let started = events.filter { if case .started = $0 { true } else { false } }
        #expect(started.count == 120)
    }

    @Test func invocationsFromSeveralExecuteCallsInTheWindowShareOneCommand() async throws {
        // setup
        let ssm = FakeSSM()
        let transport = SSMTestKit.transport(ssm, options: SSMTestKit.options(window: .milliseconds(300)))
        // act
        let streams = (0..<5).map { transport.execute([SSMTestKit.invocation($0)]) }
        for stream in streams { _ = await SSMTestKit.collect(stream) }
        // assert
        #expect(await ssm.sends.count == 1)
        #expect(await ssm.sends.first?.instanceIDs.count == 5)
    }

    @Test func listCallsPerRoundAreOnePerFiftyInvocations() async throws {
        // setup
        let ssm = FakeSSM()
        let transport = SSMTestKit.transport(ssm)
        // act
        _ = await SSMTestKit.collect(transport.execute((0..<50).map { SSMTestKit.invocation($0) }))
        // assert: one command, rounds: invisible, Pending, InProgress, done → 4 list calls of one page each
        #expect(await ssm.sends.count == 1)
        #expect(await ssm.listCalls == 4)
        #expect(await ssm.getCalls == 50)
    }

    @Test func differentScriptsGoInDifferentCommandsAndTheHereDocumentCannotBeEndedByTheScript() async throws {
        // setup: a script whose line looks like a delimiter
        let ssm = FakeSSM()
        let transport = SSMTestKit.transport(ssm)
        let sneaky = "echo a\nPCMOPS_EOF_\necho b\n"
        // act
        _ = await SSMTestKit.collect(
            transport.execute([SSMTestKit.invocation(0), SSMTestKit.invocation(1, script: sneaky)]))
        // assert
        let sends = await ssm.sends
        #expect(sends.count == 2)
        for send in sends {
            let command = try #require(send.commands.first)
            let lines = command.split(separator: "\n", omittingEmptySubsequences: false)
            let delimiter = String(lines.last ?? "")
            #expect(command.hasPrefix("bash -s <<'\(delimiter)'\n"))
            #expect(lines.dropFirst().dropLast().allSatisfy { $0 != delimiter })
            #expect(send.executionTimeoutSeconds == 90)
            #expect(send.documentName == "AWS-RunShellScript")
        }
    }

    @Test(arguments: [
        (SSMInvocationStatus.success, "Success", "ok"),
        (.failed, "Failed", "exit 3"),
        (.timedOut, "ExecutionTimedOut", "timed out"),
        (.timedOut, "DeliveryTimedOut", "delivery"),
        (.failed, "Undeliverable", "delivery"),
        (.failed, "Terminated", "delivery"),
        (.failed, "InvalidPlatform", "delivery"),
        (.failed, "AccessDenied", "delivery"),
        (.cancelled, "Cancelled", "cancelled"),
    ])
    func everyFinalStatusIsMapped(status: SSMInvocationStatus, details: String, expected: String) async throws {
        // setup
        let ssm = FakeSSM()
        await ssm.set(
            SSMTestKit.instance(0),
            .init(status: status, details: details, code: status == .failed ? 3 : 0, stdout: "out\n", stderr: "err\n"))
        // act
        let events = await SSMTestKit.collect(SSMTestKit.transport(ssm).execute([SSMTestKit.invocation(0)]))
        // assert
        let result = try #require(SSMTestKit.finished(events).values.first)
        switch expected {
        case "ok": #expect((try? result.get())?.succeeded == true)
        case "exit 3":
            #expect((try? result.get())?.exitStatus == 3)
            #expect((try? result.get())?.stderr == "err\n")
        case "timed out": #expect((try? result.get())?.timedOut == true)
        default:
            guard case .failure(let failure) = result else {
                Issue.record("expected a failure for \(details)")
                return
            }
            #expect(failure.stage == expected)
            if expected == "delivery" { #expect(failure.message.contains(details)) }
        }
    }

    @Test func outputAtSSMsLimitIsMarkedTruncatedAndSaysSo() async throws {
        // setup
        let ssm = FakeSSM()
        await ssm.set(SSMTestKit.instance(0), .init(stdout: String(repeating: "x", count: 30_000)))
        // act
        let events = await SSMTestKit.collect(SSMTestKit.transport(ssm).execute([SSMTestKit.invocation(0)]))
        // assert
        let result = try #require(try SSMTestKit.finished(events).values.first?.get())
        #expect(result.stdoutTruncated)
        #expect(result.stdout.hasSuffix(SSMOutcome.stdoutNote))
        #expect(result.stdout.count == 24_000 + SSMOutcome.stdoutNote.count)
    }

    @Test func throttledListsAreRetriedNextRound() async throws {
        // setup
        let ssm = FakeSSM()
        await ssm.setThrottleLists(3)
        // act
        let events = await SSMTestKit.collect(SSMTestKit.transport(ssm).execute([SSMTestKit.invocation(0)]))
        // assert
        #expect((try? SSMTestKit.finished(events).values.first?.get())?.succeeded == true)
    }

    @Test func listsThatKeepFailingFailTheInvocationsNamingTheCode() async throws {
        // setup
        let ssm = FakeSSM()
        await ssm.setFailLists(true)
        // act
        let events = await SSMTestKit.collect(SSMTestKit.transport(ssm).execute([SSMTestKit.invocation(0)]))
        // assert
        guard case .failure(let failure) = SSMTestKit.finished(events).values.first else {
            Issue.record("expected a poll failure")
            return
        }
        #expect(failure.stage == "poll" && failure.message.contains("AccessDeniedException"))
        #expect(await ssm.listCalls == 5)
    }

    @Test func aRefusedSendFailsEveryInvocationOfTheCommand() async throws {
        // setup
        let ssm = FakeSSM()
        await ssm.setSendError(
            .service(code: "InvalidInstanceId", message: "not managed", requestID: "r1", httpStatus: 400))
        // act
        let events = await SSMTestKit.collect(
            SSMTestKit.transport(ssm).execute((0..<3).map { SSMTestKit.invocation($0) }))
        // assert
        let finished = SSMTestKit.finished(events)
        #expect(finished.count == 3)
        for result in finished.values {
            guard case .failure(let failure) = result else { continue }
            #expect(failure.stage == "send" && failure.message.contains("InvalidInstanceId"))
        }
    }

    @Test func aCommandThatCannotBeRecordedIsCancelledAndNothingIsPolled() async throws {
        // setup
        let ssm = FakeSSM()
        struct DiskFull: Error {}
        // act
        let events = await SSMTestKit.collect(
            SSMTestKit.transport(ssm, recorderError: DiskFull()).execute([SSMTestKit.invocation(0)]))
        // assert
        guard case .failure(let failure) = SSMTestKit.finished(events).values.first else {
            Issue.record("expected a record failure")
            return
        }
        #expect(failure.stage == "record")
        #expect(await ssm.cancels.count == 1)
        #expect(await ssm.listCalls == 0)
    }

    @Test func unknownTargetsFailAtOnce() async throws {
        let events = await SSMTestKit.collect(
            SSMTestKit.transport(FakeSSM()).execute([
                Invocation(
                    key: InvocationKey(target: 0, step: 0, phase: .action), target: "nope",
                    request: ExecRequest(command: "sh -s"), requiresAdmin: false)
            ]))
        guard case .failure(let failure) = SSMTestKit.finished(events).values.first else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.stage == "connect")
    }

    @Test func stoppingToReadCancelsTheRunningCommandInSSM() async throws {
        // setup: the outcome never arrives (instance stays in progress)
        let ssm = FakeSSM()
        await ssm.set(SSMTestKit.instance(0), .init(status: .inProgress, details: "InProgress"))
        let transport = SSMTestKit.transport(ssm)
        let (startedStream, started) = AsyncStream.makeStream(of: Void.self)
        // act: the consumer (as the engine's, on cancel) is cancelled once the invocation started
        let reader = Task {
            for await event in transport.execute([SSMTestKit.invocation(0)]) {
                if case .started = event { started.yield() }
            }
        }
        for await _ in startedStream { break }
        reader.cancel()
        // assert
        for _ in 0..<200 where await ssm.cancels.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        let cancels = await ssm.cancels
        #expect(cancels.count == 1)
        #expect(cancels.first?.1 == [SSMTestKit.instance(0)])
    }

    @Test func resumePollsARecordedCommandWithoutSendingIt() async throws {
        // setup: a command sent before the "restart"
        let ssm = FakeSSM()
        let sent = try await ssm.sendCommand(
            SSMSendCommandInput(
                documentName: "AWS-RunShellScript", instanceIDs: [SSMTestKit.instance(7)], commands: ["x"]))
        let key = InvocationKey(target: 7, step: 0, phase: .action)
        // act
        let events = await SSMTestKit.collect(
            SSMTestKit.transport(ssm).resume(
                commandID: sent.commandID,
                scope: SSMScope(environment: "com", account: nil, region: "us-east-1"),
                invocations: [(key, SSMTestKit.instance(7))]))
        // assert
        #expect(await ssm.sends.count == 1)
        #expect((try? SSMTestKit.finished(events)[key]?.get())?.succeeded == true)
    }

    @Test func executionTimeoutIsWholeSecondsWithinSSMsRange() {
        #expect(SSMScript.executionTimeout(.milliseconds(1500)) == 2)
        #expect(SSMScript.executionTimeout(.zero) == 1)
        #expect(SSMScript.executionTimeout(.seconds(1_000_000)) == 172_800)
    }
}
