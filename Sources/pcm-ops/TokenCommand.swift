import ArgumentParser
import Foundation
import OpsServer

/// `pcm-ops token ...`: API tokens.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API token; the token alone is the last line of standard output.")
        @ArgumentParser.Option(help: "The user the token acts as.") var user: String
        @ArgumentParser.Option(help: "A label saying what uses the token.") var name: String
        @ArgumentParser.Option(help: "Days until it expires (1-3650); default never.") var expiresDays: Int?
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                let config = try storage.config()
                let (id, token) = try await AdminConsole.with(config: config) {
                    try await $0.createToken(for: user, name: name, expiresInDays: expiresDays)
                }
                FileHandle.standardError.write(
                    Data("Created token \(id) for \(user.lowercased()); it is shown only once.\n".utf8))
                print(token)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List API tokens (never their secrets).")
        @ArgumentParser.Option(help: "Only this user's tokens.") var user: String?
        @OptionGroup var format: OutputOptions
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                let config = try storage.config()
                let tokens = try await AdminConsole.with(config: config) { try await $0.listTokens(for: user) }
                try format.emit(
                    tokens, ["ID", "NAME", "USER", "PREFIX", "LAST USED", "STATUS"],
                    tokens.map {
                        [$0.id, $0.name, $0.user, $0.prefix, OutputFormat.date($0.lastUsedAt), $0.status]
                    })
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API token by id.")
        @Argument var id: String
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            guard let uuid = UUID(uuidString: id) else {
                throw ValidationError("invalid token id '\(id)': expected a UUID from `pcm-ops token list`")
            }
            try await reportingErrors {
                let config = try storage.config()
                try await AdminConsole.with(config: config) { try await $0.revokeToken(id: uuid) }
                print("Revoked token \(id).")
            }
        }
    }
}
