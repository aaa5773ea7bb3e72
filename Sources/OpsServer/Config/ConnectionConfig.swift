import Foundation

/// Limits on client connections and who may name the client's address for another (`serve` flags).
public struct ConnectionConfig: Sendable, Equatable {
    /// A connection that has not sent a complete request header this long after it opened (or after
    /// the first byte of a later request on it) is closed, however slowly it keeps sending.
    public var headerTimeout: TimeInterval = 20
    /// A connection with no traffic either way for this long is closed (idle keep-alive, stalled bodies).
    public var idleTimeout: TimeInterval = 60
    /// Open connections from one client address; the next one is closed at once.
    public var maxConnectionsPerClient = 64
    /// Proxies whose `X-Forwarded-For` names the client. Empty: the header is ignored.
    public var trustedProxies: [IPRange] = []

    public init() {}
}

extension ConnectionConfig {
    /// Reads `--header-timeout`, `--idle-timeout`, `--max-connections-per-client` and `--trusted-proxies`
    /// (each given as a flag or as its `PCMOPS_*` variable, already resolved by the caller).
    static func load(
        headerTimeout: String?, idleTimeout: String?, maxConnectionsPerClient: String?, trustedProxies: String?
    ) throws(ConfigError) -> ConnectionConfig {
        var config = ConnectionConfig()
        if let text = headerTimeout {
            config.headerTimeout = try seconds(text, field: "header-timeout", range: 1...300)
        }
        if let text = idleTimeout {
            config.idleTimeout = try seconds(text, field: "idle-timeout", range: 1...3600)
        }
        if let text = maxConnectionsPerClient {
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)), (1...100_000).contains(number) else {
                throw ConfigError(
                    field: "max-connections-per-client", message: "must be a number from 1 to 100000, got '\(text)'")
            }
            config.maxConnectionsPerClient = number
        }
        if let text = trustedProxies {
            config.trustedProxies = []
            for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
            where !entry.isEmpty {
                guard let range = IPRange(entry) else {
                    throw ConfigError(
                        field: "trusted-proxies",
                        message: "'\(entry)' is not an IP address or CIDR network such as 10.0.0.0/8")
                }
                config.trustedProxies.append(range)
            }
        }
        return config
    }

    private static func seconds(
        _ text: String, field: String, range: ClosedRange<Double>
    ) throws(ConfigError) -> TimeInterval {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw ConfigError(
                field: field,
                message:
                    "must be a number of seconds from \(Int(range.lowerBound)) to \(Int(range.upperBound)), got '\(text)'"
            )
        }
        return value
    }
}
