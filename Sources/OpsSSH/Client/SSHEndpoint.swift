import Foundation

/// How to prove who we are to the server.
public enum SSHAuthentication: Sendable {
    case privateKey(SSHPrivateKey)
    case password(String)
}

/// One SSH server to reach, with everything needed to connect and authenticate.
public struct SSHEndpoint: Sendable {
    /// The target's name in the inventory; used in messages.
    public var name: String
    public var host: String
    public var port: Int
    public var username: String
    public var authentication: SSHAuthentication
    public var hostKeyPolicy: HostKeyPolicy
    /// Covers TCP connect, key exchange, host key check and authentication.
    public var connectTimeout: Duration

    public init(
        name: String, host: String, port: Int = 22, username: String, authentication: SSHAuthentication,
        hostKeyPolicy: HostKeyPolicy = .strict, connectTimeout: Duration = .seconds(15)
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.username = username
        self.authentication = authentication
        self.hostKeyPolicy = hostKeyPolicy
        self.connectTimeout = connectTimeout
    }

    /// `host` for port 22, `[host]:port` otherwise, as known_hosts names it.
    public var knownHostsName: String { port == 22 ? host : "[\(host)]:\(port)" }
}

/// The stage at which connecting or running failed; "test connection" reports it.
public enum SSHStage: String, Sendable, Codable, CaseIterable {
    case connect, handshake
    case hostKey = "host_key"
    case authentication, exec
}

/// A failure while connecting or running, with the stage it happened at. Never carries a secret.
public struct SSHConnectionError: Error, Sendable, CustomStringConvertible {
    public var stage: SSHStage
    public var target: String
    public var message: String
    /// The underlying ``SSHError`` when there is one (host key verdicts, key problems).
    public var underlying: SSHError?

    public init(stage: SSHStage, target: String, message: String, underlying: SSHError? = nil) {
        self.stage = stage
        self.target = target
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(target): \(stage.rawValue) failed: \(message)" }
}
