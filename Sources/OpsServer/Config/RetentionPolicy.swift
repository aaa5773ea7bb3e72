import Foundation

/// How long the history keeps what (issue 17.2). The defaults keep everything; the audit log is never pruned.
public struct RetentionPolicy: Sendable, Equatable {
    /// Days after a run ends that its output (stdout, stderr) and its events are kept (`--retain-output-days`);
    /// nil keeps them.
    public var outputDays: Int?
    /// Days after a run ends that the run itself is kept, with its executions (`--retain-runs-days`); nil keeps it.
    public var runsDays: Int?
    /// At most this many executions change in one transaction, so live runs never wait long for the database.
    public var executionsPerBatch = 2000
    /// The pause between two batches.
    public var pause: Duration = .milliseconds(50)
    /// How often the policy is applied while the server runs (also once shortly after it starts).
    public var interval: Duration = .seconds(3600)

    public init(outputDays: Int? = nil, runsDays: Int? = nil) {
        self.outputDays = outputDays
        self.runsDays = runsDays
    }

    /// True when nothing is ever pruned.
    public var keepsEverything: Bool { outputDays == nil && runsDays == nil }

    /// The longest period a flag accepts: a hundred years.
    public static let maximumDays = 36_500

    /// `--retain-output-days` and `--retain-runs-days`, else `PCMOPS_RETAIN_OUTPUT_DAYS` and
    /// `PCMOPS_RETAIN_RUNS_DAYS`: whole days from 1 to 36500.
    public static func load(outputDays: String?, runsDays: String?, environment: [String: String])
        throws(ConfigError) -> RetentionPolicy
    {
        func days(_ flag: String?, _ field: String) throws(ConfigError) -> Int? {
            let fromEnvironment = environment[ServerConfig.environmentName(for: field)].flatMap {
                $0.isEmpty ? nil : $0
            }
            guard let text = flag ?? fromEnvironment else { return nil }
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)), (1...maximumDays).contains(number)
            else {
                throw ConfigError(
                    field: field, message: "must be a whole number of days from 1 to \(maximumDays), got '\(text)'")
            }
            return number
        }
        return RetentionPolicy(
            outputDays: try days(outputDays, "retain-output-days"), runsDays: try days(runsDays, "retain-runs-days"))
    }
}
