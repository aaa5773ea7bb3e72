import ArgumentParser
import Foundation
import OpsCore
import OpsServer

/// `pcm-ops user ...`: manage accounts.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage user accounts.",
        subcommands: [Add.self, Passwd.self, SetRole.self, Disable.self, Enable.self, List.self])

    /// Parses `--role`, naming the field and the choices when it is wrong.
    static func role(_ text: String) throws -> Role {
        guard let role = Role(parsing: text) else {
            throw ValidationError("invalid --role '\(text)': use viewer, operator or admin")
        }
        return role
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user. Without a password: prompts on a terminal, else generates and prints one.")
        @Argument(help: "Username (letters, digits, '.', '_', '-').") var name: String
        @ArgumentParser.Option(help: "viewer, operator or admin.") var role: String
        @ArgumentParser.Option(help: "Password (visible to other local users in ps; prefer --password-stdin).")
        var password: String?
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let role = try UserCommand.role(role)
            try await reportingErrors {
                let config = try storage.config()
                let chosen = try PasswordInput.resolve(flag: password, fromStdin: passwordStdin)
                let generated = try await AdminConsole.with(config: config) {
                    try await $0.addUser(name, role: role, password: chosen)
                }
                print("Added user \(name.lowercased()) with role \(role.rawValue).")
                if let generated { print("Password (shown once): \(generated)") }
            }
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password; ends their sessions.")
        @Argument var name: String
        @ArgumentParser.Option var password: String?
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                let config = try storage.config()
                let chosen = try PasswordInput.resolve(flag: password, fromStdin: passwordStdin)
                let generated = try await AdminConsole.with(config: config) {
                    try await $0.setPassword(name, password: chosen)
                }
                print("Password of \(name.lowercased()) changed.")
                if let generated { print("Password (shown once): \(generated)") }
            }
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "role", abstract: "Change a user's role.")
        @Argument var name: String
        @Argument(help: "viewer, operator or admin.") var role: String
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let role = try UserCommand.role(role)
            try await reportingErrors {
                let config = try storage.config()
                try await AdminConsole.with(config: config) { try await $0.setRole(name, role: role) }
                print("\(name.lowercased()) is now \(role.rawValue).")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: sessions end, tokens are revoked.")
        @Argument var name: String
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                let config = try storage.config()
                try await AdminConsole.with(config: config) { try await $0.setDisabled(name, disabled: true) }
                print("Disabled \(name.lowercased()).")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-enable a disabled user (revoked tokens stay revoked).")
        @Argument var name: String
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                let config = try storage.config()
                try await AdminConsole.with(config: config) { try await $0.setDisabled(name, disabled: false) }
                print("Enabled \(name.lowercased()).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var format: OutputOptions
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                let config = try storage.config()
                let users = try await AdminConsole.with(config: config) { try await $0.listUsers() }
                try format.emit(
                    users, ["USERNAME", "ROLE", "STATUS", "LAST SIGN-IN"],
                    users.map {
                        [
                            $0.username, $0.role, $0.disabled ? "disabled" : "active",
                            OutputFormat.date($0.lastLoginAt),
                        ]
                    })
            }
        }
    }
}
