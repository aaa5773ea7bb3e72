import Foundation
import Testing

@testable import OpsAWS

/// Signature checking against moto started with `INITIAL_NO_AUTH_ACTION_COUNT`: the first calls (unchecked)
/// create an IAM user and access key per partition; after them, only requests signed with those keys pass.
/// One test does it all, in order, because the free calls are counted server-wide.
@Suite(
    "SigV4 against moto with signature checking",
    .enabled(if: MotoServer.hasAuthServer, "needs PCMOPS_TEST_MOTO_AUTH_URL (scripts/test starts moto)"))
struct MotoSignatureIntegrationTests {
    struct Partition {
        var environment: AWSEnvironment
        var region: String
    }

    static let partitions = [
        Partition(environment: .com, region: "us-east-1"), Partition(environment: .gov, region: "us-gov-west-1"),
    ]

    func client(_ credentials: AWSCredentials) -> AWSClient {
        AWSClient(
            transport: LoopbackOnlyTransport(), credentials: StaticCredentialProvider(credentials),
            retryPolicy: RetryPolicy(maxAttempts: 1))
    }

    func endpoint(_ service: AWSService, _ partition: Partition, _ url: String) throws -> AWSEndpoint {
        let endpoint = try AWSEndpointResolver(environment: partition.environment, variables: ["AWS_ENDPOINT_URL": url])
            .endpoint(for: service, region: partition.region)
        try #require(endpoint.host == "127.0.0.1", "endpoint resolved to \(endpoint.url), not moto")
        return endpoint
    }

    /// Two unchecked IAM calls: CreateUser, CreateAccessKey.
    func createUserAndKey(_ partition: Partition, url: String) async throws -> AWSCredentials {
        let anyKeys = client(AWSCredentials(accessKeyID: "AKIAFREECALLS000001", secretAccessKey: "unchecked"))
        let iam = try endpoint(.iam, partition, url)
        let userName = "pcm-ops-\(partition.environment.name)-\(UUID().uuidString.prefix(8))"
        var createUser = AWSQueryRequest(action: "CreateUser", version: "2010-05-08", listStyle: .member)
        createUser.add("UserName", .string(userName))
        _ = try await anyKeys.query(createUser, to: iam)
        var createKey = AWSQueryRequest(action: "CreateAccessKey", version: "2010-05-08", listStyle: .member)
        createKey.add("UserName", .string(userName))
        let response = try await anyKeys.query(createKey, to: iam)
        return AWSCredentials(
            accessKeyID: try response.requiredString("CreateAccessKeyResult", "AccessKey", "AccessKeyId"),
            secretAccessKey: try response.requiredString("CreateAccessKeyResult", "AccessKey", "SecretAccessKey"))
    }

    /// Harmless unchecked calls, so that signature checking is on for everything after them.
    func spendRemainingFreeCalls(_ count: Int, url: String) async throws {
        let anyKeys = client(AWSCredentials(accessKeyID: "AKIAFREECALLS000001", secretAccessKey: "unchecked"))
        let sts = try endpoint(.sts, Self.partitions[0], url)
        for _ in 0..<max(count, 0) { _ = try await STSClient(client: anyKeys, endpoint: sts).getCallerIdentity() }
    }

    @Test func onlyTheRightSecretPasses() async throws {
        // setup: spend the free calls creating one user and key per partition
        let moto = try MotoServer.require()
        let url = try #require(moto.authURL)
        try #require(moto.freeCalls >= 2 * Self.partitions.count, "INITIAL_NO_AUTH_ACTION_COUNT too small")
        var keys: [AWSCredentials] = []
        for partition in Self.partitions { keys.append(try await createUserAndKey(partition, url: url)) }
        try await spendRemainingFreeCalls(moto.freeCalls - 2 * Self.partitions.count, url: url)
        for (partition, key) in zip(Self.partitions, keys) {
            let sts = try endpoint(.sts, partition, url)
            // act + assert: the right secret
            let identity = try await STSClient(client: client(key), endpoint: sts).getCallerIdentity()
            #expect(
                identity.arn.hasPrefix(
                    "arn:\(partition.environment.partition):iam::\(MotoServer.account):user/pcm-ops-"))
            // a wrong secret
            var wrong = key
            wrong.secretAccessKey += "x"
            do {
                _ = try await STSClient(client: client(wrong), endpoint: sts).getCallerIdentity()
                Issue.record("a request signed with the wrong secret was accepted in \(partition.environment)")
            } catch let error as AWSError {
                #expect(error.code == "SignatureDoesNotMatch", "\(error)")
                #expect(error.httpStatus == 403)
            }
            // an unknown key id
            let unknown = AWSCredentials(accessKeyID: "AKIAUNKNOWNKEY000001", secretAccessKey: key.secretAccessKey)
            do {
                _ = try await STSClient(client: client(unknown), endpoint: sts).getCallerIdentity()
                Issue.record("a request with an unknown key id was accepted in \(partition.environment)")
            } catch let error as AWSError {
                #expect(error.code == "InvalidClientTokenId", "\(error)")
            }
        }
    }
}
