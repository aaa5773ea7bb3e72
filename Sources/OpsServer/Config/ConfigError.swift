/// A configuration value that cannot be used. The message names the flag and the environment variable.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Flag name without dashes, e.g. `port`.
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String {
        "invalid --\(field) (\(ServerConfig.environmentName(for: field))): \(message)"
    }
}
