import Foundation

/// One EC2 instance as the instance browser, the API and the CLI show it.
public struct EC2InstanceRow: Sendable, Hashable, Codable {
    public var environment: String
    public var account: String
    public var region: String
    public var instanceID: String
    public var name: String?
    /// pending | running | stopping | stopped | shutting-down | terminated
    public var state: String
    /// linux | windows
    public var platform: String
    public var platformDetails: String?
    public var privateIP: String?
    public var instanceType: String?
    public var tags: [String: String]
    /// SSM agent status from DescribeInstanceInformation: Online, ConnectionLost, Inactive; nil when not managed.
    public var ssmPing: String?
    /// The target this instance is synced as, when it is.
    public var target: String?

    public enum CodingKeys: String, CodingKey {
        case environment, account, region, name, state, platform, tags, target
        case instanceID = "instance_id"
        case platformDetails = "platform_details"
        case privateIP = "private_ip"
        case instanceType = "instance_type"
        case ssmPing = "ssm_ping"
    }

    /// True when SSM can run commands on it.
    public var isManaged: Bool { ssmPing == "Online" }
}

/// Turns AWS tags into target tags: keys lower-cased with characters outside `[a-z0-9_.-]` as `_`, values with
/// `,`, `;` and `=` as `_` (an empty value becomes `-`), so every tag survives and parses back the same.
enum EC2TagMapping {
    static func targetTags(_ tags: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in tags {
            let mappedKey = String(
                key.lowercased().map { character -> Character in
                    character.isASCII && (character.isLetter || character.isNumber || "_.-".contains(character))
                        ? character : "_"
                }.prefix(128))
            guard !mappedKey.isEmpty else { continue }
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            let mappedValue = trimmed.isEmpty ? "-" : String(trimmed.map { ",;=".contains($0) ? "_" : $0 }.prefix(256))
            result[mappedKey] = mappedValue
        }
        return result
    }

    /// A target name from the Name tag (characters outside `[A-Za-z0-9._-]` as `-`), else the instance id.
    static func targetName(name: String?, instanceID: String) -> String {
        guard let name, !name.isEmpty else { return instanceID }
        var mapped = String(
            name.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" }.prefix(200))
        while let first = mapped.first, !(first.isLetter || first.isNumber) { mapped.removeFirst() }
        return mapped.isEmpty ? instanceID : mapped
    }
}
