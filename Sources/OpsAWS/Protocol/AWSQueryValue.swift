/// A parameter value of an AWS Query or EC2 request, before flattening: a string, a list or a structure.
/// Literals build it directly, so an EC2 filter reads
/// `[["Name": "tag:env", "Value": ["prod", "staging"]]]`.
public indirect enum AWSQueryValue: Sendable, Equatable {
    /// A scalar, already in its wire form (`"true"`, `"5"`, an ISO 8601 timestamp).
    case string(String)
    /// Elements numbered from 1: `Name.1`, or `Name.member.1` in member style.
    case list([AWSQueryValue])
    /// Fields `Name.Field`; order on the wire is by field name, which AWS ignores.
    case structure([String: AWSQueryValue])
}

extension AWSQueryValue: ExpressibleByStringInterpolation {
    /// `"prod"`, `"i-\(id)"`.
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension AWSQueryValue: ExpressibleByIntegerLiteral {
    /// `5` sends as `5`.
    public init(integerLiteral value: Int) {
        self = .string(String(value))
    }
}

extension AWSQueryValue: ExpressibleByBooleanLiteral {
    /// `true` sends as `true`, as the Query protocol spells booleans.
    public init(booleanLiteral value: Bool) {
        self = .string(value ? "true" : "false")
    }
}

extension AWSQueryValue: ExpressibleByArrayLiteral {
    /// `["i-1", "i-2"]`.
    public init(arrayLiteral elements: AWSQueryValue...) {
        self = .list(elements)
    }
}

extension AWSQueryValue: ExpressibleByDictionaryLiteral {
    /// `["Key": "env", "Value": "prod"]`. A repeated field name keeps its last value.
    public init(dictionaryLiteral elements: (String, AWSQueryValue)...) {
        self = .structure(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
