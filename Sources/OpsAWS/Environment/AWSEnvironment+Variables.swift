/// Each environment has its own credentials, so one process can hold both: a variable
/// `PCMOPS_AWS_COM_<NAME>` or `PCMOPS_AWS_GOV_<NAME>` stands in for `AWS_<NAME>` in that environment
/// (`PCMOPS_AWS_GOV_PROFILE=gov-admin`, `PCMOPS_AWS_GOV_ACCESS_KEY_ID=…`, `PCMOPS_AWS_GOV_ENDPOINT_URL=…`).
extension AWSEnvironment {
    /// The variables the credential chain and endpoint resolver see in this environment: `process` with this
    /// environment's `PCMOPS_AWS_<ENV>_*` overrides applied. When the overrides name keys or a profile, the
    /// plain `AWS_*` keys and profile are dropped, so a COM key can never sign a GOV request.
    public func variables(from process: [String: String]) -> [String: String] {
        let prefix = "PCMOPS_AWS_\(name.uppercased())_"
        let overrides = process.filter { $0.key.hasPrefix(prefix) && !$0.value.isEmpty }
        guard !overrides.isEmpty else { return process }
        var result = process
        let namesCredentials = overrides.keys.contains { key in
            ["ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "PROFILE"].contains(String(key.dropFirst(prefix.count)))
        }
        if namesCredentials {
            for key in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"] {
                result[key] = nil
            }
        }
        for (key, value) in overrides { result["AWS_" + key.dropFirst(prefix.count)] = value }
        return result
    }

    /// The region API calls that need one (STS) go to: the configured region when it belongs to this
    /// environment's partition, else the environment's default (a GOV call never follows `AWS_REGION=us-east-1`).
    public func apiRegion(variables: [String: String], profileRegion: String? = nil) -> String {
        let configured = region(variables: variables, profileRegion: profileRegion)
        return contains(region: configured) ? configured : defaultRegion
    }
}
