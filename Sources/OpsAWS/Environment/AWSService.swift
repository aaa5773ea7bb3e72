/// The AWS services PCM-Ops calls, with what endpoint resolution and signing need to know about each.
public enum AWSService: String, Sendable, CaseIterable {
    /// Security Token Service: GetCallerIdentity, AssumeRole.
    case sts
    /// EC2: DescribeInstances.
    case ec2
    /// Systems Manager: SendCommand and friends.
    case ssm
    /// Organizations: ListAccounts (a global service).
    case organizations
    /// IAM (a global service); used by tests to create users in moto.
    case iam

    /// The SigV4 signing name.
    public var signingName: String { rawValue }

    /// The suffix of the per-service override variable: `AWS_ENDPOINT_URL_STS`. AWS derives it from the
    /// service id, upper-cased with spaces as underscores.
    public var endpointVariableSuffix: String { rawValue.uppercased() }

    /// The Query API version, for services spoken in the Query or EC2 protocol.
    public var queryVersion: String? {
        switch self {
        case .sts: "2011-06-15"
        case .ec2: "2016-11-15"
        case .iam: "2010-05-08"
        case .ssm, .organizations: nil
        }
    }

    /// Global services have one endpoint per partition, signed for a fixed region, whatever region is asked for.
    /// (Organizations also speaks JSON 1.1, which this client will use for it.)
    func globalEndpoint(in environment: AWSEnvironment) -> (host: String, signingRegion: String)? {
        switch (self, environment.partition) {
        case (.iam, "aws-us-gov"): ("iam.us-gov.amazonaws.com", "us-gov-west-1")
        case (.iam, _): ("iam.amazonaws.com", "us-east-1")
        case (.organizations, "aws-us-gov"): ("organizations.us-gov-west-1.amazonaws.com", "us-gov-west-1")
        case (.organizations, _): ("organizations.us-east-1.amazonaws.com", "us-east-1")
        default: nil
        }
    }
}
