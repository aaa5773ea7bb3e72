import Foundation

/// How PCM-Ops reaches a target (DESIGN.md §5, `targets.transport`).
public enum TransportKind: String, CaseIterable, Sendable, Codable {
    /// The built-in SSH client (swift-nio-ssh).
    case ssh
    /// The system OpenSSH client, for setups that need its configuration (jump hosts, agents).
    case openssh
    /// Windows Remote Management.
    case winrm
    /// AWS Systems Manager Run Command.
    case ssm
    /// The PCM-Ops host itself.
    case local

    /// Accepts a case-insensitive raw value with surrounding whitespace.
    public init?(parsing text: String) {
        self.init(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
