/// One of the two AWS worlds PCM-Ops talks to. Each has its own partition (so its own ARNs, endpoints and
/// credentials): keys of one are never valid in the other.
public struct AWSEnvironment: Sendable, Hashable, CustomStringConvertible {
    /// `com` or `gov`, as the CLI's `--environment` and the API spell it.
    public let name: String
    /// The ARN partition, `aws` or `aws-us-gov`.
    public let partition: String
    /// The DNS suffix of the partition's endpoints.
    public let dnsSuffix: String
    /// Regions of the partition PCM-Ops knows; `contains(region:)` is what decides membership.
    public let regions: [String]
    /// The region used when neither the caller, the environment variables nor the profile name one.
    public let defaultRegion: String

    /// Commercial AWS, partition `aws`.
    public static let com = AWSEnvironment(
        name: "com", partition: "aws", dnsSuffix: "amazonaws.com",
        regions: [
            "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2",
            "eu-west-3", "eu-central-1", "eu-north-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1",
            "ap-northeast-2", "ap-south-1", "sa-east-1",
        ],
        defaultRegion: "us-east-1")

    /// AWS GovCloud (US), partition `aws-us-gov`.
    public static let gov = AWSEnvironment(
        name: "gov", partition: "aws-us-gov", dnsSuffix: "amazonaws.com",
        regions: ["us-gov-west-1", "us-gov-east-1"], defaultRegion: "us-gov-west-1")

    /// Both environments.
    public static let all: [AWSEnvironment] = [.com, .gov]

    /// The environment named `com` or `gov` (any case), or nil.
    public static func named(_ name: String) -> AWSEnvironment? {
        all.first { $0.name == name.lowercased() }
    }

    /// Whether `region` belongs to this partition. Commercial regions are open-ended (AWS adds them), so `com`
    /// accepts any well-formed region outside the GovCloud, China and ISO partitions.
    public func contains(region: String) -> Bool {
        if regions.contains(region) { return true }
        guard self == .com, Self.isWellFormed(region) else { return false }
        return !["us-gov-", "cn-", "us-iso"].contains { region.hasPrefix($0) }
    }

    /// The first region found in `AWS_REGION`, then `AWS_DEFAULT_REGION`, then `profileRegion`, else the default.
    public func region(variables: [String: String], profileRegion: String? = nil) -> String {
        let candidates = [variables["AWS_REGION"], variables["AWS_DEFAULT_REGION"], profileRegion]
        return candidates.compactMap { $0?.trimmingWhitespace() }.first { !$0.isEmpty } ?? defaultRegion
    }

    /// `com (aws)`.
    public var description: String { "\(name) (\(partition))" }

    /// Three or more `-`-separated parts of ASCII lowercase letters and digits (openapi.yaml's AWSRegion pattern).
    public static func isWellFormed(_ region: String) -> Bool {
        let parts = region.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count >= 3
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) } }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
