import Foundation

/// The shared config and credentials files merged into profiles, by the section rules of AWS SDKs:
/// - credentials file: `[name]` is profile `name`; a `[profile name]` section there is not a profile;
/// - config file: `[profile name]` is profile `name`, `[default]` (or `[profile default]`, which wins) is the
///   default profile, and `[name]` without the prefix is ignored for any other name;
/// - where both files set a key of the same profile, the credentials file wins.
public struct SharedConfig: Sendable, Equatable {
    /// Profile name → lower-cased key → value.
    public var profiles: [String: [String: String]]

    /// Profiles as given (tests).
    public init(profiles: [String: [String: String]]) {
        self.profiles = profiles
    }

    /// Merges the two files' texts; nil means the file does not exist.
    public init(configText: String?, configFile: String, credentialsText: String?, credentialsFile: String)
        throws(AWSError)
    {
        var merged: [String: [String: String]] = [:]
        let config = try configText.map { text throws(AWSError) in try SharedConfigParser.parse(text, file: configFile)
        }
        for (section, values) in config ?? [:] {
            let words = section.split(whereSeparator: \.isWhitespace).map(String.init)
            let name: String
            if words.count == 2, words[0] == "profile" {
                name = words[1]
            } else if section == "default" {
                if config?["profile default"] != nil { continue }
                name = "default"
            } else {
                continue
            }
            merged[name, default: [:]].merge(values) { _, new in new }
        }
        let credentials = try credentialsText.map { text throws(AWSError) in
            try SharedConfigParser.parse(text, file: credentialsFile)
        }
        for (section, values) in credentials ?? [:] where !section.contains(where: \.isWhitespace) {
            merged[section, default: [:]].merge(values) { _, new in new }
        }
        profiles = merged
    }

    /// Reads the files named by `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/config` and
    /// `~/.aws/credentials` under `HOME`. `readFile` returns nil for a missing file; tests pass their own.
    public static func load(
        variables: [String: String], readFile: @Sendable (String) -> String? = SharedConfig.readFromDisk
    ) throws(AWSError) -> SharedConfig {
        let paths = filePaths(variables: variables)
        return try SharedConfig(
            configText: paths.config.flatMap(readFile), configFile: paths.config ?? "config file",
            credentialsText: paths.credentials.flatMap(readFile),
            credentialsFile: paths.credentials ?? "credentials file")
    }

    /// The two file paths; nil when neither the variable nor `HOME` is set.
    public static func filePaths(variables: [String: String]) -> (config: String?, credentials: String?) {
        func path(_ variable: String, _ name: String) -> String? {
            if let explicit = variables[variable], !explicit.isEmpty { return expandingTilde(explicit, variables) }
            return variables["HOME"].map { "\($0)/.aws/\(name)" }
        }
        return (path("AWS_CONFIG_FILE", "config"), path("AWS_SHARED_CREDENTIALS_FILE", "credentials"))
    }

    /// The file's text, or nil when it cannot be read.
    @Sendable public static func readFromDisk(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    private static func expandingTilde(_ path: String, _ variables: [String: String]) -> String {
        guard path.hasPrefix("~/"), let home = variables["HOME"] else { return path }
        return home + path.dropFirst()
    }
}
