import Foundation
import OpsCore
import OpsSSH
import OpsWinRM

extension TargetConnector {
    /// How the WinRM client reaches a `winrm` target: its endpoint settings, the Windows account of its
    /// credential (the target's own login, when set, over the credential's) and its code page.
    func winrmTarget(for target: Target) async throws -> WinRMTarget {
        let (credential, secret) = try await credential(for: target)
        guard case .winrmPassword(let password) = secret else {
            throw WinRMConnectionError(
                stage: .authentication, target: target.name,
                message:
                    "credential '\(credential.name)' holds \(secret.holds), not a Windows account: give the target a credential of kind winrm"
            )
        }
        return WinRMTarget(
            name: target.name, endpoint: target.winrmEndpoint(defaultCABundle: winrmCABundle),
            credential: WinRMCredential(login: target.username ?? credential.username, password: password),
            codepage: target.winrmCodepage ?? TargetService.defaultCodepage)
    }

    /// The script that proves an elevated session: the transport checks elevation before running it.
    static let adminProbe = "exit 0"

    /// connect, tls (https), authentication, shell, exec — and admin when `requireAdmin`: a script run
    /// the way `requires_admin` steps run, which fails at `admin` when the session is not elevated.
    func testWinRM(_ target: Target, timeout: Duration, requireAdmin: Bool) async -> ConnectionTestResult {
        let start = ContinuousClock.now
        var result = ConnectionTestResult(
            target: target.name, transport: target.transport, ok: false, failedStage: nil, message: "", timings: [])
        var winrm: WinRMTarget
        do {
            winrm = try await winrmTarget(for: target)
        } catch {
            (result.failedStage, result.message) = Self.stageAndMessage(error)
            return result
        }
        winrm.connectTimeout = timeout
        let session = WinRMSession(target: winrm, logger: logger)
        let report = await session.test()
        result.timings = report.stages.map { .init(stage: $0.stage.rawValue, milliseconds: $0.duration.milliseconds) }
        result.facts = report.facts
        if let failure = report.failure {
            await session.close()
            result.failedStage = failure.stage.rawValue
            result.message = failure.message
            return result
        }
        if requireAdmin {
            let adminStart = ContinuousClock.now
            do {
                let probe = ExecRequest(
                    command: "", timeout: timeout, outputCap: 4096, stdin: Array(Self.adminProbe.utf8))
                let exec = try await session.run(probe, requiresAdmin: true) { _ in }
                result.timings.removeAll { $0.stage == WinRMStage.admin.rawValue }
                result.timings.append(
                    .init(
                        stage: WinRMStage.admin.rawValue, milliseconds: (ContinuousClock.now - adminStart).milliseconds)
                )
                guard exec.succeeded else {
                    throw WinRMConnectionError(
                        stage: .admin, target: target.name,
                        message: "the elevation check's script \(Self.outcome(exec)): \(exec.stderr.prefix(200))")
                }
            } catch {
                await session.close()
                (result.failedStage, result.message) = Self.stageAndMessage(error)
                return result
            }
        }
        await session.close()
        let endpoint = winrm.endpoint
        result.ok = true
        result.message =
            "connected to \(endpoint.url) with \(endpoint.authentication.rawValue) as \(winrm.credential.displayName)"
            + (requireAdmin ? ", elevated," : "")
            + " and ran a command in \(Int((ContinuousClock.now - start).milliseconds)) ms"
        return result
    }

    /// The failed stage and message of a connection error of any transport.
    static func stageAndMessage(_ error: any Error) -> (String, String) {
        switch error {
        case let error as WinRMConnectionError: (error.stage.rawValue, error.message)
        case let error as SSHConnectionError: (error.stage.rawValue, error.message)
        case let error as TransportFailure: (error.stage, error.message)
        default: (WinRMStage.connect.rawValue, String(describing: error))
        }
    }

    static func outcome(_ exec: ExecResult) -> String {
        exec.timedOut ? "timed out" : "exited with \(exec.exitStatus.map(String.init) ?? exec.exitSignal ?? "?")"
    }
}
