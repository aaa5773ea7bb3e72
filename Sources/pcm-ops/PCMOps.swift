import ArgumentParser
import Foundation
import Logging
import OpsServer

/// `pcm-ops`: the server and its administration from the command line.
@main
struct PCMOps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pcm-ops",
        abstract: "PCM-Ops: run pre-approved operations on fleets of servers, safely.",
        subcommands: [
            Serve.self, Migrate.self, UserCommand.self, TokenCommand.self, TargetsCommand.self, GroupsCommand.self,
            InventoryCommand.self, KnownHostsCommand.self, CredentialsCommand.self, ToolsCommand.self,
            RunCommand.self, RunsCommand.self, JobsCommand.self, AWSCommand.self, ConductorCommand.self,
        ]
    )
}

/// Options every command that opens the database shares.
struct StorageOptions: ParsableArguments {
    @ArgumentParser.Option(
        name: .long, help: "Data directory for SQLite and the secret key (PCMOPS_DATA_DIR; default ./.pcm-ops).")
    var dataDir: String?

    @ArgumentParser.Option(
        name: .long, help: "postgres://user:password@host:port/db instead of SQLite (PCMOPS_DATABASE_URL).")
    var databaseUrl: String?

    /// The configuration for a command that is not the server: quiet logs on standard error.
    func config() throws -> ServerConfig {
        let config = try ServerConfig.load(
            flags: ServerFlags(dataDirectory: dataDir, databaseURL: databaseUrl),
            environment: ProcessInfo.processInfo.environment)
        LoggingBootstrap.run(format: config.logFormat, level: .warning)
        return config
    }
}

/// Installs the log handler once per process.
enum LoggingBootstrap {
    static func run(format: ServerConfig.LogFormat, level: Logger.Level) {
        switch format {
        case .json:
            LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        case .text:
            LoggingSystem.bootstrap { TextLogHandler(label: $0, level: level) }
        }
    }
}

/// Errors the CLI reports as one line naming the problem, exit code 1 (2 for usage errors).
struct CLIError: Error, CustomStringConvertible {
    let description: String
}

extension AsyncParsableCommand {
    /// Runs `body`, turning configuration and account errors into clear one-line messages.
    func reportingErrors(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ConfigError {
            throw ValidationError(error.description)
        } catch let error as InventoryServiceError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode.failure
        } catch let error as RunError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode.failure
        } catch let error as JobError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode.failure
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode.failure
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(String(describing: error))\n".utf8))
            throw ExitCode.failure
        }
    }
}
