import OpsCore

/// Everything needed to reach one Windows target: where, as whom, and how patiently.
public struct WinRMTarget: Sendable {
    /// The target's name in the inventory (for messages).
    public var name: String
    public var endpoint: WinRMEndpoint
    public var credential: WinRMCredential
    /// The shell's code page: 65001 (UTF-8) unless a host needs another (e.g. 932).
    public var codepage: Int
    /// TCP connect, TLS handshake and each HTTP exchange of the set-up.
    public var connectTimeout: Duration
    /// How long one Receive waits on the server before answering "nothing yet" (w:TimedOut).
    public var operationTimeout: Duration

    public init(
        name: String, endpoint: WinRMEndpoint, credential: WinRMCredential, codepage: Int = 65001,
        connectTimeout: Duration = .seconds(60), operationTimeout: Duration = .seconds(20)
    ) {
        self.name = name
        self.endpoint = endpoint
        self.credential = credential
        self.codepage = codepage
        self.connectTimeout = connectTimeout
        self.operationTimeout = operationTimeout
    }
}

/// What a connection test found: each stage reached with its duration, and the failure if one stopped it.
public struct WinRMTestReport: Sendable {
    public var stages: [(stage: WinRMStage, duration: Duration)]
    public var failure: WinRMConnectionError?
    /// Facts learned on the way: the authentication used, whether the session is elevated, the
    /// certificate's subject and SHA-256 fingerprint over HTTPS, the host name the shell reported.
    public var facts: [String: String]

    public init(
        stages: [(stage: WinRMStage, duration: Duration)] = [], failure: WinRMConnectionError? = nil,
        facts: [String: String] = [:]
    ) {
        self.stages = stages
        self.failure = failure
        self.facts = facts
    }
}
