import ArgumentParser
import Foundation
import OpsCore
import OpsServer

/// `pcm-ops groups ...`.
struct GroupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groups", abstract: "Manage target groups.",
        subcommands: [List.self, Add.self, AddMembers.self, Remove.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List groups with their resolved members.")
        @OptionGroup var format: OutputOptions
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                let config = try storage.config()
                let groups = try await AdminConsole.with(config: config) { try await $0.listGroups() }
                try format.emit(
                    groups, ["NAME", "SELECTOR", "CREDENTIAL", "MEMBERS"],
                    groups.map {
                        [$0.name, $0.selector ?? "-", $0.credential ?? "-", $0.members.joined(separator: ",")]
                    })
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a group.")
        @Argument var name: String
        @ArgumentParser.Option(help: "Tag selector, e.g. env=prod,role=web.") var selector: String?
        @ArgumentParser.Option(help: "Credential for members without one.") var credential: String?
        @ArgumentParser.Option(help: "Description.") var description: String?
        @ArgumentParser.Option(parsing: .upToNextOption, help: "Static members.") var members: [String] = []
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                let config = try storage.config()
                try await AdminConsole.with(config: config) {
                    try await $0.addGroup(
                        GroupSpec(
                            name: name, description: description, selector: selector, credential: credential,
                            members: members))
                }
                print("Added group \(name).")
            }
        }
    }

    struct AddMembers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-members", abstract: "Add static members to a group.")
        @Argument var group: String
        @Argument var targets: [String]
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                let config = try storage.config()
                try await AdminConsole.with(config: config) { try await $0.addGroupMembers(targets, to: group) }
                print("Added \(targets.count) member(s) to \(group).")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm", abstract: "Remove a group (its targets stay).")
        @Argument var name: String
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                let config = try storage.config()
                try await AdminConsole.with(config: config) { try await $0.removeGroup(name) }
                print("Removed group \(name).")
            }
        }
    }
}

/// `pcm-ops inventory import FILE`.
struct InventoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory", abstract: "Import Ansible (YAML, INI) and CSV inventories.",
        subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upsert targets, groups and credentials from FILE. Exit 1 when any entry was rejected.")
        @Argument(help: "Inventory file (.yml, .yaml, .ini, .csv or Ansible INI without extension).") var file: String
        @ArgumentParser.Option(help: "yaml, ini or csv (default: from the file).") var format: String?
        @Flag(help: "Report what would change; change nothing.") var dryRun = false
        @ArgumentParser.Option(
            help: ArgumentHelp(
                "Login name for hosts whose inventory sets no ansible_user.",
                discussion: "Without it they log in as their credential's user (\(InventoryImporter.credentialUser) "
                    + "for a key or password read from the inventory).", valueName: "name"))
        var defaultUser: String?
        @OptionGroup var outputOptions: OutputOptions
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            var chosen: InventoryImporter.Format?
            if let format {
                guard let parsed = InventoryImporter.Format(rawValue: format.lowercased()) else {
                    throw ValidationError("invalid --format '\(format)': use yaml, ini or csv")
                }
                chosen = parsed
            }
            if let defaultUser {
                do { _ = try DefaultUser.validate(defaultUser) } catch let error as InventoryServiceError {
                    guard case .invalid(_, let message) = error else { throw error }
                    throw ValidationError("invalid --default-user: \(message)")
                }
            }
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read FILE '\(file)'")
            }
            var rejected = false
            try await reportingErrors {
                let config = try storage.config()
                let report = try await AdminConsole.with(config: config) {
                    try await $0.importInventory(
                        text, fileName: file, format: chosen, dryRun: dryRun, defaultUser: defaultUser)
                }
                rejected = !report.rejected.isEmpty
                if outputOptions.isJSON {
                    print(try OutputFormat.json(report))
                } else {
                    print(dryRun ? "Dry run: nothing was changed." : "Imported \(file).")
                    print(
                        "added \(report.added.count), updated \(report.updated.count), unchanged \(report.unchanged.count), rejected \(report.rejected.count)"
                    )
                    print(
                        "groups added \(report.groupsAdded.count), updated \(report.groupsUpdated.count); credentials added \(report.credentialsAdded.count)"
                    )
                    for rejection in report.rejected {
                        print(
                            "rejected: line \(rejection.line)\(rejection.name.map { " (\($0))" } ?? ""): \(rejection.reason)"
                        )
                    }
                    for warning in report.warnings {
                        print(
                            "warning: line \(warning.line)\(warning.name.map { " (\($0))" } ?? ""): \(warning.reason)")
                    }
                    if let summary = report.defaultUserSummary {
                        print(
                            "default user: " + summary
                                + (report.defaultUser == nil ? "; choose one with --default-user NAME" : ""))
                    }
                }
            }
            if rejected { throw ExitCode.failure }
        }
    }
}

/// `pcm-ops known-hosts import FILE`.
struct KnownHostsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "known-hosts", abstract: "Trust SSH host keys from OpenSSH known_hosts files.",
        subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add every valid line of FILE to the trusted host keys.")
        @Argument var file: String
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read FILE '\(file)'")
            }
            try await reportingErrors {
                let config = try storage.config()
                let report = try await AdminConsole.with(config: config) { try await $0.importKnownHosts(text) }
                print("added \(report.added), already known \(report.unchanged), rejected \(report.rejected.count)")
                for rejection in report.rejected { print("rejected: line \(rejection.line): \(rejection.reason)") }
            }
        }
    }
}

/// `pcm-ops credentials ...`: secrets go in from files or standard input, never from the command line.
struct CredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials", abstract: "Manage encrypted credentials.",
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Add a credential: --key-file for ssh_key, --password-stdin for ssh_password, --aws-environment for aws_keys, --winrm for winrm.",
            discussion: """
                aws_keys: --username is the access key id, standard input the secret access key (then, on a second \
                line, the session token of temporary keys). One aws_keys credential per environment.
                winrm: --username is a Windows account (DOMAIN\\user, user@domain or a local user; --domain names \
                the domain separately), standard input its password.
                """)
        @Argument var name: String
        @ArgumentParser.Option(help: "Login name on the targets (aws_keys: the access key id).") var username: String
        @ArgumentParser.Option(help: "Private key file (OpenSSH or PEM).") var keyFile: String?
        @ArgumentParser.Option(help: "com or gov: store AWS keys for that environment (secret on standard input).")
        var awsEnvironment: String?
        @Flag(help: "Store a Windows account for winrm targets (password on standard input).") var winrm = false
        @ArgumentParser.Option(help: "winrm: the account's domain, when --username does not name it.")
        var domain: String?
        @Flag(help: "Read the key's passphrase (with --key-file) or the password from standard input.")
        var passwordStdin = false
        @Flag(help: "Use for targets that name no credential.") var setDefault = false
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let secret: CredentialSecret
            if let awsEnvironment {
                guard ["com", "gov"].contains(awsEnvironment) else {
                    throw ValidationError("invalid --aws-environment '\(awsEnvironment)': use com or gov")
                }
                guard keyFile == nil, !winrm else {
                    throw ValidationError("--key-file and --winrm do not go with --aws-environment")
                }
                guard let secretKey = readLine(strippingNewline: true), !secretKey.isEmpty else {
                    throw ValidationError("--aws-environment: the secret access key on standard input was empty")
                }
                let token = readLine(strippingNewline: true).flatMap { $0.isEmpty ? nil : $0 }
                secret = .awsKeys(environment: awsEnvironment, secretAccessKey: secretKey, sessionToken: token)
                try await add(secret)
                return
            }
            if winrm {
                guard keyFile == nil else { throw ValidationError("--key-file does not go with --winrm") }
                guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                    throw ValidationError("--winrm: the password on standard input was empty")
                }
                try await add(.winrmPassword(password))
                return
            }
            guard domain == nil else { throw ValidationError("--domain goes with --winrm") }
            let stdinLine = passwordStdin ? readLine(strippingNewline: true) : nil
            if passwordStdin, stdinLine?.isEmpty ?? true {
                throw ValidationError("--password-stdin: standard input was empty")
            }
            if let keyFile {
                guard let text = try? String(contentsOfFile: keyFile, encoding: .utf8) else {
                    throw ValidationError("cannot read --key-file '\(keyFile)'")
                }
                secret = .sshKey(privateKey: text, passphrase: stdinLine)
            } else if let password = stdinLine {
                secret = .sshPassword(password)
            } else {
                throw ValidationError("give --key-file FILE or --password-stdin")
            }
            try await add(secret)
        }

        private func add(_ secret: CredentialSecret) async throws {
            try await reportingErrors {
                let config = try storage.config()
                try await AdminConsole.with(config: config) {
                    try await $0.addCredential(
                        name: name, username: username, domain: domain, secret: secret, isDefault: setDefault)
                }
                print("Added credential \(name).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List credentials (never their secrets).")
        @OptionGroup var format: OutputOptions
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                let config = try storage.config()
                let list = try await AdminConsole.with(config: config) { try await $0.listCredentials() }
                try format.emit(
                    list, ["NAME", "KIND", "LOGIN", "KEY", "DEFAULT"],
                    list.map { [$0.name, $0.kind, $0.username, $0.summary ?? "-", $0.isDefault ? "yes" : ""] })
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a credential.")
        @Argument var name: String
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                let config = try storage.config()
                try await AdminConsole.with(config: config) { try await $0.removeCredential(name) }
                print("Removed credential \(name).")
            }
        }
    }
}
