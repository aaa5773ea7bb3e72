import ArgumentParser
import Foundation
import OpsCore
import OpsServer

/// `pcm-ops targets ...`.
struct TargetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "targets", abstract: "List, add, remove and test targets.",
        subcommands: [List.self, Add.self, Update.self, Remove.self, Test.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List targets, with optional filters.")
        @ArgumentParser.Option(help: "Substring of the name or address.") var search: String?
        @ArgumentParser.Option(help: "Tag selector, e.g. env=prod,role=web.") var selector: String?
        @ArgumentParser.Option(help: "Only members of this group.") var group: String?
        @ArgumentParser.Option(help: "linux or windows.") var os: String?
        @ArgumentParser.Option(help: "ssh, openssh, winrm, ssm or local.") var transport: String?
        @OptionGroup var format: OutputOptions
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            var filter = TargetFilter(text: search, group: group)
            if let selector {
                do { filter.selector = try TagSelector(parsing: selector) } catch {
                    throw ValidationError("invalid --selector: \(error)")
                }
            }
            if let os {
                guard let parsed = OSFamily(parsing: os) else {
                    throw ValidationError("invalid --os '\(os)': use linux or windows")
                }
                filter.os = parsed
            }
            if let transport {
                guard let parsed = TransportKind(parsing: transport) else {
                    throw ValidationError("invalid --transport '\(transport)': use ssh, openssh, winrm, ssm or local")
                }
                filter.transport = parsed
            }
            let chosen = filter
            try await reportingErrors {
                let config = try storage.config()
                let targets = try await AdminConsole.with(config: config) { try await $0.listTargets(chosen) }
                try format.emit(
                    targets, ["NAME", "ADDRESS", "PORT", "TRANSPORT", "OS", "USER", "CREDENTIAL", "TAGS"],
                    targets.map {
                        [
                            $0.name, $0.address, String($0.port), $0.transport, $0.os, $0.username ?? "-",
                            $0.credential ?? "-",
                            $0.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                                separator: ","),
                        ]
                    })
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a target.")
        @Argument(help: "Unique name.") var name: String
        @ArgumentParser.Option(help: "Host name or IP (default: the name).") var address: String?
        @ArgumentParser.Option var port: Int?
        @ArgumentParser.Option(help: "ssh (default), openssh, winrm, ssm or local.") var transport: String?
        @ArgumentParser.Option(help: "linux (default) or windows.") var os: String?
        @ArgumentParser.Option(help: "Credential name.") var credential: String?
        @ArgumentParser.Option(help: "Login name overriding the credential's.") var user: String?
        @ArgumentParser.Option(help: "Tags, e.g. env=prod,role=web.") var tags: String?
        @ArgumentParser.Option(help: "strict or accept-new.") var hostKeyPolicy: String?
        @ArgumentParser.Option(help: "Jump host (another target's name).") var jump: String?
        @OptionGroup var windows: WinRMTargetOptions
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            var tagValues: [String: String]?
            if let tags {
                do { tagValues = try Tags(parsing: tags).dictionary } catch {
                    throw ValidationError("invalid --tags: \(error)")
                }
            }
            var spec = TargetSpec(
                name: name, address: address, port: port, transport: transport, os: os, credential: credential,
                username: user, tags: tagValues, hostKeyPolicy: hostKeyPolicy, jump: jump)
            try windows.apply(to: &spec)
            try await reportingErrors {
                let config = try storage.config()
                try await AdminConsole.with(config: config) { [spec] in try await $0.addTarget(spec) }
                print("Added target \(name).")
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a target: only the options given change; \"\" clears a setting.")
        @Argument(help: "The target's name.") var name: String
        @ArgumentParser.Option(help: "Host name or IP.") var address: String?
        @ArgumentParser.Option var port: Int?
        @ArgumentParser.Option(help: "ssh, openssh, winrm, ssm or local.") var transport: String?
        @ArgumentParser.Option(help: "linux or windows.") var os: String?
        @ArgumentParser.Option(help: "Credential name.") var credential: String?
        @ArgumentParser.Option(help: "Login name overriding the credential's.") var user: String?
        @ArgumentParser.Option(help: "Tags (replace the target's), e.g. env=prod,role=web.") var tags: String?
        @ArgumentParser.Option(help: "strict or accept-new.") var hostKeyPolicy: String?
        @ArgumentParser.Option(help: "Jump host (another target's name).") var jump: String?
        @OptionGroup var windows: WinRMTargetOptions
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            var tagValues: [String: String]?
            if let tags {
                do { tagValues = tags.isEmpty ? [:] : try Tags(parsing: tags).dictionary } catch {
                    throw ValidationError("invalid --tags: \(error)")
                }
            }
            var spec = TargetSpec(
                name: name, address: address, port: port, transport: transport, os: os, credential: credential,
                username: user, tags: tagValues, hostKeyPolicy: hostKeyPolicy, jump: jump)
            try windows.apply(to: &spec)
            try await reportingErrors {
                let config = try storage.config()
                try await AdminConsole.with(config: config) { [spec] in try await $0.updateTarget(spec) }
                print("Updated target \(name).")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove targets.")
        @Argument var names: [String]
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                let config = try storage.config()
                try await AdminConsole.with(config: config) { console in
                    for name in names { try await console.removeTarget(name) }
                }
                print("Removed \(names.joined(separator: ", ")).")
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Test connections: TCP, handshake, host key, authentication, `true`. Exit 1 if any failed.")
        @Argument var names: [String] = []
        @ArgumentParser.Option(help: "Test every member of this group.") var group: String?
        @ArgumentParser.Option(help: "Connections at once.") var concurrency = 50
        @Flag(help: "winrm targets: also require an elevated session (else the test fails at stage admin).")
        var admin = false
        @OptionGroup var format: OutputOptions
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            guard (1...1000).contains(concurrency) else {
                throw ValidationError("invalid --concurrency: use 1 to 1000")
            }
            var failed = false
            try await reportingErrors {
                let config = try storage.config()
                let results = try await AdminConsole.with(config: config) {
                    try await $0.testTargets(names, group: group, concurrency: concurrency, requireAdmin: admin)
                }
                failed = results.contains { !$0.ok }
                try format.emit(
                    results, ["TARGET", "RESULT", "STAGE", "TIME", "MESSAGE"],
                    results.map {
                        [
                            $0.target, $0.ok ? "ok" : "FAILED", $0.failedStage ?? "-",
                            "\(Int($0.timings.map(\.milliseconds).reduce(0, +))) ms",
                            $0.message + Self.factsText($0.facts),
                        ]
                    })
            }
            if failed { throw ExitCode.failure }
        }

        /// ` (computer_name: WIN01, elevated: yes)`, or "" without facts.
        static func factsText(_ facts: [String: String]) -> String {
            guard !facts.isEmpty else { return "" }
            return " (" + facts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
                + ")"
        }
    }
}
