import Foundation

/// One instance as DescribeInstances reports it: what the instance browser and target sync need.
public struct EC2Instance: Sendable, Equatable {
    public var instanceID: String
    /// `pending`, `running`, `stopping`, `stopped`, `shutting-down`, `terminated`.
    public var state: String
    /// `windows`, or nil for Linux/UNIX (EC2 sends `platform` only for Windows).
    public var platform: String?
    /// `Linux/UNIX`, `Windows`, `Red Hat Enterprise Linux`, …
    public var platformDetails: String?
    public var privateIPAddress: String?
    public var publicIPAddress: String?
    public var instanceType: String?
    public var launchTime: Date?
    public var tags: [String: String]

    /// The `Name` tag.
    public var name: String? { tags["Name"] }

    public init(
        instanceID: String, state: String, platform: String? = nil, platformDetails: String? = nil,
        privateIPAddress: String? = nil, publicIPAddress: String? = nil, instanceType: String? = nil,
        launchTime: Date? = nil, tags: [String: String] = [:]
    ) {
        self.instanceID = instanceID
        self.state = state
        self.platform = platform
        self.platformDetails = platformDetails
        self.privateIPAddress = privateIPAddress
        self.publicIPAddress = publicIPAddress
        self.instanceType = instanceType
        self.launchTime = launchTime
        self.tags = tags
    }

    /// Reads an `instancesSet/item` element.
    init(item: XMLTree) throws(AWSError) {
        var tags: [String: String] = [:]
        for tag in item.items("tagSet") {
            if let key = tag.string("key") { tags[key] = tag.string("value") ?? "" }
        }
        self.init(
            instanceID: try item.requiredString("instanceId"),
            state: item.string("instanceState", "name") ?? "unknown",
            platform: item.string("platform").flatMap { $0.isEmpty ? nil : $0 },
            platformDetails: item.string("platformDetails"),
            privateIPAddress: item.string("privateIpAddress").flatMap { $0.isEmpty ? nil : $0 },
            publicIPAddress: item.string("ipAddress").flatMap { $0.isEmpty ? nil : $0 },
            instanceType: item.string("instanceType"),
            launchTime: item.string("launchTime").flatMap(ISO8601Timestamp.parse), tags: tags)
    }
}

/// A DescribeInstances filter: `Filter.N.Name` with its values.
public struct EC2Filter: Sendable, Equatable {
    public var name: String
    public var values: [String]

    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }

    /// `instance-state-name`.
    public static func state(_ states: [String]) -> EC2Filter { EC2Filter(name: "instance-state-name", values: states) }
    /// `tag:KEY` = any of `values`.
    public static func tag(_ key: String, _ values: [String]) -> EC2Filter {
        EC2Filter(name: "tag:\(key)", values: values)
    }
    /// Instances that have the tag at all.
    public static func tagKey(_ keys: [String]) -> EC2Filter { EC2Filter(name: "tag-key", values: keys) }
    /// The Name tag contains `text` (EC2 filter wildcards; `*` and `?` in `text` are escaped).
    public static func nameContains(_ text: String) -> EC2Filter {
        var escaped = ""
        for character in text {
            if "*?\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return EC2Filter(name: "tag:Name", values: ["*\(escaped)*"])
    }
}

/// One page of DescribeInstances.
public struct EC2InstancePage: Sendable, Equatable {
    public var instances: [EC2Instance]
    public var nextToken: String?
}
