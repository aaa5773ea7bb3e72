/// The form-encoded body of an AWS Query (STS, IAM) or EC2 request: `Action`, `Version`, then the operation's
/// parameters flattened to `Name.1.Field=value` pairs.
public struct AWSQueryRequest: Sendable, Equatable {
    /// How lists are numbered, the one difference between the two protocols' request bodies.
    public enum ListStyle: Sendable, Equatable {
        /// EC2: `Filter.1.Name`, `Filter.1.Value.1`; an empty list sends nothing.
        case ec2
        /// Query: `Tags.member.1.Key`; an empty list sends `Tags=` so the service sees it cleared.
        case member
    }

    /// The `Content-Type` every Query and EC2 request carries.
    public static let contentType = "application/x-www-form-urlencoded; charset=utf-8"

    /// The operation, `GetCallerIdentity`, `DescribeInstances`.
    public let action: String
    /// The API version the operation belongs to, `2011-06-15` (STS), `2016-11-15` (EC2).
    public let version: String
    /// List numbering for this service.
    public let listStyle: ListStyle
    /// The flattened parameters in sending order, `Action` and `Version` first.
    public private(set) var parameters: [SigV4.QueryItem]

    /// A request with no parameters beyond `Action` and `Version`.
    public init(action: String, version: String, listStyle: ListStyle) {
        self.action = action
        self.version = version
        self.listStyle = listStyle
        parameters = [SigV4.QueryItem("Action", action), SigV4.QueryItem("Version", version)]
    }

    /// Adds a top-level parameter, flattening lists and structures below `name`.
    public mutating func add(_ name: String, _ value: AWSQueryValue) {
        Self.flatten(value, prefix: name, style: listStyle, into: &parameters)
    }

    /// `name=value&…`, names and values percent-encoded as SigV4 encodes them (space as `%20`, `+` as `%2B`).
    public var formBody: String {
        parameters.map { "\(SigV4.uriEncode($0.name))=\(SigV4.uriEncode($0.value))" }.joined(separator: "&")
    }

    /// `formBody` as bytes, ready to be a `SigV4.Request` body.
    public var body: [UInt8] { Array(formBody.utf8) }

    private static func flatten(
        _ value: AWSQueryValue, prefix: String, style: ListStyle, into parameters: inout [SigV4.QueryItem]
    ) {
        switch value {
        case .string(let text):
            parameters.append(SigV4.QueryItem(prefix, text))
        case .list(let elements):
            if elements.isEmpty {
                if style == .member { parameters.append(SigV4.QueryItem(prefix, "")) }
                return
            }
            let listPrefix = style == .member ? "\(prefix).member" : prefix
            for (index, element) in elements.enumerated() {
                flatten(element, prefix: "\(listPrefix).\(index + 1)", style: style, into: &parameters)
            }
        case .structure(let fields):
            for name in fields.keys.sorted(by: SigV4.precedesByCodePoint) {
                if let field = fields[name] {
                    flatten(field, prefix: "\(prefix).\(name)", style: style, into: &parameters)
                }
            }
        }
    }
}
