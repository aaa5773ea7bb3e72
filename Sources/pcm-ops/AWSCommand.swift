import ArgumentParser
import Foundation
import OpsAWS
import OpsServer

/// `pcm-ops aws …`: AWS from the command line.
struct AWSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aws", abstract: "AWS: who the credentials are, EC2 instances, sync them as targets.",
        subcommands: [WhoAmI.self, Instances.self, Sync.self])
}

/// `--environment com|gov`, validated at parse time.
struct AWSEnvironmentOption: ParsableArguments {
    @ArgumentParser.Option(help: "com (partition aws) or gov (partition aws-us-gov).") var environment: String

    func validate() throws {
        guard AWSEnvironment.named(environment) != nil else {
            throw ValidationError("invalid --environment '\(environment)': use com or gov")
        }
    }

    var value: AWSEnvironment { AWSEnvironment.named(environment) ?? .com }
}

extension AWSCommand {
    /// `pcm-ops aws whoami`: GetCallerIdentity with the standard credential chain of the environment.
    struct WhoAmI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "whoami",
            abstract: "Print the account and ARN behind the environment's credential chain.",
            discussion: """
                The chain is the AWS SDKs' one: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY[/AWS_SESSION_TOKEN], then \
                AWS_PROFILE (or default) in the shared config and credentials files, including role_arn + \
                source_profile, then IMDSv2 on EC2. PCMOPS_AWS_COM_<NAME> / PCMOPS_AWS_GOV_<NAME> stand in for \
                AWS_<NAME> in that environment (e.g. PCMOPS_AWS_GOV_PROFILE). AWS_ENDPOINT_URL and \
                AWS_ENDPOINT_URL_STS are honoured. Exits 1 with AWS's error code when the call fails.
                """)
        @OptionGroup var environment: AWSEnvironmentOption
        @ArgumentParser.Option(help: "A profile of the shared files, instead of AWS_PROFILE.") var profile: String?
        @ArgumentParser.Option(help: "text or json.") var output = "text"

        func validate() throws {
            guard ["text", "json"].contains(output) else {
                throw ValidationError("invalid --output '\(output)': use text or json")
            }
            if let profile, profile.isEmpty || profile.contains(where: { $0.isWhitespace || $0 == "]" }) {
                throw ValidationError("invalid --profile '\(profile)': a profile name has no spaces or ']'")
            }
        }

        func run() async throws {
            let env = environment.value
            var variables = env.variables(from: ProcessInfo.processInfo.environment)
            if let profile {
                for key in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] { variables[key] = nil }
                variables["AWS_PROFILE"] = profile
            }
            let transport = URLSessionTransport()
            let chain = AWSCredentialChain.standard(environment: env, variables: variables, transport: transport)
            do {
                let (identity, source) = try await CallerIdentityProbe(
                    environment: env, variables: variables, transport: transport
                ).identity(chain)
                if output == "json" {
                    let report = WhoAmIReport(
                        environment: env.name, partition: env.partition, account: identity.account, arn: identity.arn,
                        userID: identity.userID, source: source)
                    print(try OutputFormat.json(report))
                } else {
                    print("environment  \(env.name) (\(env.partition))")
                    print("account      \(identity.account)")
                    print("arn          \(identity.arn)")
                    print("user id      \(identity.userID)")
                    print("credentials  \(source)")
                }
            } catch let error as AWSError {
                FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}

struct WhoAmIReport: Encodable {
    var environment: String
    var partition: String
    var account: String
    var arn: String
    var userID: String
    var source: String

    enum CodingKeys: String, CodingKey {
        case environment, partition, account, arn, source
        case userID = "user_id"
    }
}

/// What `aws instances` and `aws sync` share.
struct AWSInstanceOptions: ParsableArguments {
    @OptionGroup var environment: AWSEnvironmentOption
    @ArgumentParser.Option(help: "A region (repeatable; default: the environment's default region).")
    var region: [String] = []
    @ArgumentParser.Option(help: "A configured account id (repeatable; default: the credentials' own account).")
    var account: [String] = []
    @ArgumentParser.Option(
        help: "state=running, tag=Key=Value (or tag=Key), name=TEXT, instance-id=i-… (repeatable).")
    var filter: [String] = []
    @OptionGroup var storage: StorageOptions
}

extension AWSCommand {
    /// `pcm-ops aws instances`.
    struct Instances: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List EC2 instances with their SSM agent status (stored aws_keys credential, else the chain).")
        @OptionGroup var options: AWSInstanceOptions
        @OptionGroup var format: OutputOptions

        func run() async throws {
            try await reportingErrors {
                let (rows, errors, warnings) = try await AdminConsole.with(config: try options.storage.config()) {
                    try await $0.awsInstances(
                        environment: options.environment.environment, accounts: options.account,
                        regions: options.region, filters: options.filter)
                }
                for error in errors { FileHandle.standardError.write(Data("error: \(error)\n".utf8)) }
                for warning in warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
                try format.emit(
                    rows,
                    ["INSTANCE", "NAME", "STATE", "PLATFORM", "PRIVATE IP", "ACCOUNT", "REGION", "SSM", "TARGET"],
                    rows.map {
                        [
                            $0.instanceID, $0.name ?? "", $0.state, $0.platform, $0.privateIP ?? "", $0.account,
                            $0.region,
                            $0.ssmPing ?? "not managed", $0.target ?? "",
                        ]
                    })
                if !errors.isEmpty { throw ExitCode.failure }
            }
        }
    }

    /// `pcm-ops aws sync`.
    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upsert the instances found as ssm targets, by instance id (tags copied).")
        @OptionGroup var options: AWSInstanceOptions
        @OptionGroup var format: OutputOptions

        func run() async throws {
            try await reportingErrors {
                let report = try await AdminConsole.with(config: try options.storage.config()) {
                    try await $0.awsSync(
                        environment: options.environment.environment, accounts: options.account,
                        regions: options.region, filters: options.filter)
                }
                if format.isJSON {
                    print(try OutputFormat.json(report))
                } else {
                    print(
                        "\(report.added.count) added, \(report.updated.count) updated, \(report.unchanged.count) unchanged"
                    )
                    for name in report.added { print("  + \(name)") }
                    for name in report.updated { print("  ~ \(name)") }
                }
            }
        }
    }
}
