import NIOConcurrencyHelpers

/// How far a connection attempt got, so a failure can name its stage.
final class ConnectProgress: Sendable {
    private struct State {
        var stage: SSHStage = .connect
        var started: [SSHStage: ContinuousClock.Instant] = [.connect: .now]
        var hostKeyRefusal: SSHError?
        var hostKeyAccepted = false
    }

    private let state = NIOLockedValueBox(State())

    var stage: SSHStage { state.withLockedValue { $0.stage } }
    var hostKeyRefusal: SSHError? { state.withLockedValue { $0.hostKeyRefusal } }
    var hostKeyWasAccepted: Bool { state.withLockedValue { $0.hostKeyAccepted } }

    func reached(_ stage: SSHStage) {
        state.withLockedValue {
            $0.stage = stage
            if $0.started[stage] == nil { $0.started[stage] = .now }
        }
    }

    /// How long each stage took, up to `end`.
    func timings(until end: ContinuousClock.Instant = .now) -> [SSHStage: Duration] {
        let started = state.withLockedValue { $0.started }
        let ordered = SSHStage.allCases.compactMap { stage in started[stage].map { (stage, $0) } }
        var result = [SSHStage: Duration]()
        for (index, (stage, begin)) in ordered.enumerated() {
            let finish = index + 1 < ordered.count ? ordered[index + 1].1 : end
            result[stage] = finish - begin
        }
        return result
    }
    func hostKeyAccepted() { state.withLockedValue { $0.hostKeyAccepted = true } }
    func hostKeyRefused(_ error: SSHError) { state.withLockedValue { $0.hostKeyRefusal = error } }

    /// Turns whatever ended the attempt into an error naming the stage it happened at.
    func classify(_ error: any Error, target: String) -> SSHConnectionError {
        if let error = error as? SSHConnectionError { return error }
        if let refusal = hostKeyRefusal {
            return SSHConnectionError(
                stage: .hostKey, target: target, message: refusal.description, underlying: refusal)
        }
        let current = stage
        let message: String
        switch current {
        case .connect: message = "cannot reach the host: \(error)"
        case .handshake: message = "SSH handshake failed: \(error)"
        case .hostKey: message = "host key check failed: \(error)"
        case .authentication: message = hostKeyWasAccepted ? "authentication failed: \(error)" : "\(error)"
        case .exec: message = "\(error)"
        }
        return SSHConnectionError(stage: current, target: target, message: message)
    }
}
