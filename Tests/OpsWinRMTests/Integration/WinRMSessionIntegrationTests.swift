import Foundation
import OpsCore
import Testing

@testable import OpsWinRM

/// The Swift client against the WinRM emulator (real NTLM from pyspnego, real sealing, real TLS).
@Suite("WinRM session against the emulator", .enabled(if: WinRMTestPeer.isAvailable))
struct WinRMSessionIntegrationTests {
    static func request(_ script: String, timeout: Duration = .seconds(120), cap: Int = 1 << 20) -> ExecRequest {
        ExecRequest(command: "unused", timeout: timeout, outputCap: cap, stdin: Array(script.utf8))
    }

    static func run(
        _ target: WinRMTarget, _ script: String, requiresAdmin: Bool = false, timeout: Duration = .seconds(120)
    ) async throws -> ExecResult {
        let session = WinRMSession(target: target)
        do {
            let result = try await session.run(request(script, timeout: timeout), requiresAdmin: requiresAdmin) { _ in }
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }

    @Test(arguments: [
        (false, WinRMAuthentication.ntlm), (false, .negotiate), (true, .ntlm), (true, .negotiate), (true, .basic),
    ])
    func everyAuthenticationRunsAScript(https: Bool, authentication: WinRMAuthentication) async throws {
        let peer = try WinRMTestPeer.require()
        let marker = "auth-\(https ? "https" : "http")-\(authentication.rawValue)-\(UUID().uuidString.prefix(8))"
        let result = try await Self.run(
            peer.target(https: https, authentication: authentication),
            "Write-Output '\(marker)'\nWrite-Error 'went wrong' -ErrorAction Continue\nexit 3")
        #expect(result.stdout == "\(marker)\r\n" || result.stdout == "\(marker)\n")
        #expect(result.stderr.contains("went wrong"))
        #expect(!result.stderr.contains("CLIXML"))
        #expect(result.exitStatus == 3)
        let records = try await peer.awaitRecords(containing: marker)
        let record = try #require(records.first)
        #expect(record["command"] as? String == "powershell.exe")
        #expect((record["stdin"] as? String)?.contains("Write-Output '\(marker)'") == true)
        if !https { #expect(record["encrypted"] as? Bool == true) }
    }

    @Test func domainAccountAuthenticatesWithNTLM() async throws {
        let peer = try WinRMTestPeer.require()
        let result = try await Self.run(
            peer.target(user: peer.domainUser, password: peer.domainPassword), "Write-Output 'domain ok'")
        #expect(result.stdout.hasPrefix("domain ok"))
    }

    @Test func unicodeRoundTripsInUTF8() async throws {
        let peer = try WinRMTestPeer.require()
        let text = "Grüße 日本語 한국어 🚀"
        let result = try await Self.run(peer.target(), "Write-Output '\(text)'")
        #expect(result.stdout.hasPrefix(text))
    }

    @Test func wrongPasswordFailsAtAuthentication() async throws {
        let peer = try WinRMTestPeer.require()
        for https in [false, true] {
            await #expect {
                try await Self.run(peer.target(https: https, password: "wrong-password"), "Write-Output 'no'")
            } throws: { error in
                guard let error = error as? WinRMConnectionError else { return false }
                return error.stage == .authentication && error.message.contains(peer.user)
            }
        }
    }

    @Test func basicOverHTTPIsRefusedBeforeAnythingIsSent() async throws {
        let peer = try WinRMTestPeer.require()
        await #expect {
            try await Self.run(peer.target(authentication: .basic), "Write-Output 'no'")
        } throws: { error in
            (error as? WinRMConnectionError)?.stage == .authentication
                && ((error as? WinRMConnectionError)?.message.contains("HTTPS") ?? false)
        }
    }

    @Test func untrustedCertificateFailsAtTLSUnlessVerificationIsOff() async throws {
        let peer = try WinRMTestPeer.require()
        await #expect {
            try await Self.run(peer.target(https: true, verification: .system), "Write-Output 'no'")
        } throws: { error in
            (error as? WinRMConnectionError)?.stage == .tls
        }
        let result = try await Self.run(
            peer.target(https: true, verification: WinRMEndpoint.TLSVerification.none), "Write-Output 'unverified'")
        #expect(result.stdout.hasPrefix("unverified"))
    }

    @Test func refusedConnectionFailsAtConnect() async throws {
        let peer = try WinRMTestPeer.require()
        var target = peer.target()
        target.endpoint.port = 1
        await #expect {
            try await Self.run(target, "Write-Output 'no'")
        } throws: { error in
            (error as? WinRMConnectionError)?.stage == .connect
        }
    }

    @Test func adminStepOnANonElevatedSessionFailsAtAdmin() async throws {
        let peer = try WinRMTestPeer.require()
        let limited = peer.target(user: peer.limitedUser, password: peer.limitedPassword)
        await #expect {
            try await Self.run(limited, "Write-Output 'should not run'", requiresAdmin: true)
        } throws: { error in
            (error as? WinRMConnectionError)?.stage == .admin
        }
        let elevated = try await Self.run(peer.target(), "Write-Output 'admin ok'", requiresAdmin: true)
        #expect(elevated.stdout.hasPrefix("admin ok"))
    }

    @Test func oneSessionKeepsItsShellAcrossSteps() async throws {
        let peer = try WinRMTestPeer.require()
        let marker = "reuse-\(UUID().uuidString.prefix(8))"
        let session = WinRMSession(target: peer.target())
        for step in 1...3 {
            let result = try await session.run(
                Self.request("Write-Output '\(marker)-\(step)'"), requiresAdmin: false
            ) { _ in }
            #expect(result.stdout.hasPrefix("\(marker)-\(step)"))
        }
        await session.close()
        let records = try await peer.awaitRecords(containing: marker, count: 3)
        let shells = Set(records.compactMap { $0["shell_id"] as? String })
        #expect(shells.count == 1)
    }

    @Test func timeoutEndsTheCommandAndKeepsTheOutputSoFar() async throws {
        let peer = try WinRMTestPeer.require()
        // The session is set up first, so that the step's timeout covers the script alone (a loaded machine may
        // take seconds over the NTLM handshake).
        let session = WinRMSession(target: peer.target())
        _ = try await session.run(Self.request("Write-Output 'warm'"), requiresAdmin: false) { _ in }
        let result = try await session.run(
            Self.request(
                "Write-Output 'before the wait'\nStart-Sleep -Seconds 600\nWrite-Output 'never'", timeout: .seconds(15)),
            requiresAdmin: false
        ) { _ in }
        await session.close()
        #expect(result.timedOut)
        #expect(result.exitStatus == nil)
        #expect(result.stdout.hasPrefix("before the wait"))
        #expect(!result.stdout.contains("never"))
    }

    @Test func outputBeyondTheCapIsDroppedAndMarked() async throws {
        let peer = try WinRMTestPeer.require()
        let session = WinRMSession(target: peer.target())
        let script = "foreach ($i in 1..3000) { Write-Output ('line {0:D5} of many to pass the cap' -f $i) }"
        let result = try await session.run(Self.request(script, cap: 10_000), requiresAdmin: false) { _ in }
        await session.close()
        #expect(result.stdoutTruncated)
        #expect(result.stdout.utf8.count == 10_000)
        #expect(result.exitStatus == 0)
    }

    @Test func largeOutputArrivesWhole() async throws {
        let peer = try WinRMTestPeer.require()
        let script = "foreach ($i in 1..20000) { Write-Output ('line {0:D6}' -f $i) }"
        let result = try await Self.run(peer.target(), script)
        let lines = result.stdout.split(whereSeparator: \.isNewline)
        #expect(lines.count == 20000)
        #expect(lines.last == "line 020000")
    }

    @Test func cancellingStopsTheCommandWithinSeconds() async throws {
        let peer = try WinRMTestPeer.require()
        let marker = "cancel-\(UUID().uuidString.prefix(8))"
        let session = WinRMSession(target: peer.target())
        let started = Started()
        let task = Task {
            try await session.run(
                Self.request("Write-Output '\(marker)'\nStart-Sleep -Seconds 600"), requiresAdmin: false
            ) { event in
                if case .output = event { started.mark() }
            }
        }
        while !started.isMarked { try await Task.sleep(for: .milliseconds(50)) }
        let clock = ContinuousClock()
        let cancelled = clock.now
        task.cancel()
        _ = await task.result
        #expect(clock.now - cancelled < .seconds(30))
        await session.close()
    }

    @Test func manySessionsToOneHostAtOnce() async throws {
        let peer = try WinRMTestPeer.require()
        try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await Self.run(peer.target(https: index % 2 == 1), "Write-Output 'parallel \(index)'").stdout
                }
            }
            var seen = 0
            for try await output in group where output.hasPrefix("parallel ") { seen += 1 }
            #expect(seen == 8)
        }
    }

    @Test func connectionTestReportsEveryStage() async throws {
        let peer = try WinRMTestPeer.require()
        let report = await WinRMSession(target: peer.target(https: true)).test()
        #expect(report.failure == nil)
        #expect(report.stages.map(\.stage) == [.connect, .tls, .authentication, .shell, .exec, .admin])
        #expect(report.facts["elevated"] == "yes")
        #expect(report.facts["certificate_sha256"] != nil)
        let failed = await WinRMSession(target: peer.target(password: "wrong")).test()
        #expect(failed.failure?.stage == .authentication)
        #expect(failed.stages.map(\.stage) == [.connect])
    }
}

/// Set once from an output callback, read by the test.
final class Started: @unchecked Sendable {
    private let lock = NSLock()
    private var marked = false
    func mark() { lock.withLock { marked = true } }
    var isMarked: Bool { lock.withLock { marked } }
}
