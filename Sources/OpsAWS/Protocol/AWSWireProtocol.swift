/// How an AWS API frames requests and errors. STS and IAM speak `query`, EC2 its own variant, SSM `json`.
public enum AWSWireProtocol: Sendable, Equatable {
    /// Form-encoded request, XML response; errors as `<ErrorResponse><Error><Code>…`.
    case query
    /// Form-encoded request with flat lists, XML response; errors as `<Response><Errors><Error>…<RequestID>`.
    case ec2
    /// JSON 1.0/1.1 with `X-Amz-Target`; errors as `{"__type": "…#Code", "message": "…"}`.
    case json
}
