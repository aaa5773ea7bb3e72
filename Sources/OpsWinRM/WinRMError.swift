/// The stages of reaching a Windows host, in order; a failure names the stage it happened at, and test
/// connection reports each one's duration (as SSH's does).
public enum WinRMStage: String, Sendable, CaseIterable, Codable {
    case connect, tls, authentication, shell, exec, admin
}

/// Why a WinRM connection or command failed: the stage, the target and a message a person can act on.
/// Never carries a password, a token or a raw XML document.
public struct WinRMConnectionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var stage: WinRMStage
    public var target: String
    public var message: String

    public init(stage: WinRMStage, target: String, message: String) {
        self.stage = stage
        self.target = target
        self.message = message
    }

    public var description: String { "\(target): \(stage.rawValue): \(message)" }
}
