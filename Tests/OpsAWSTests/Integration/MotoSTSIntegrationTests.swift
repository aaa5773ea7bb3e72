import Foundation
import Testing

@testable import OpsAWS

/// STS and the credential chain against a real moto_server, over real HTTP with real SigV4.
@Suite(
    "STS against moto", .enabled(if: MotoServer.isAvailable, "needs PCMOPS_TEST_MOTO_URL (scripts/test starts moto)"))
struct MotoSTSIntegrationTests {
    func whoami(_ environment: AWSEnvironment, _ variables: [String: String]) async throws -> CallerIdentity {
        let transport = LoopbackOnlyTransport()
        let chain = AWSCredentialChain.standard(environment: environment, variables: variables, transport: transport)
        let region = environment.region(variables: variables)
        let endpoint = try AWSEndpointResolver(environment: environment, variables: variables)
            .endpoint(for: .sts, region: region)
        try #require(endpoint.host == "127.0.0.1", "endpoint resolved to \(endpoint.url), not moto")
        return try await STSClient(client: AWSClient(transport: transport, credentials: chain), endpoint: endpoint)
            .getCallerIdentity()
    }

    @Test func getCallerIdentityThroughTheChainWithAWSEndpointURL() async throws {
        // setup
        let moto = try MotoServer.require()
        let variables = MotoServer.variables(
            moto.url,
            [
                "AWS_ACCESS_KEY_ID": "AKIAMOTOCOMEXAMPLE1", "AWS_SECRET_ACCESS_KEY": "secret",
            ])
        // act
        let identity = try await whoami(.com, variables)
        // assert
        #expect(identity.account == MotoServer.account)
        #expect(identity.arn.hasPrefix("arn:aws:"))
    }

    @Test func assumeRoleThroughAProfileWithSourceProfile() async throws {
        // setup
        let moto = try MotoServer.require()
        let files = try TemporaryAWSFiles(
            config: """
                [profile ops]
                role_arn = arn:aws:iam::\(MotoServer.account):role/OpsRole
                source_profile = base
                role_session_name = pcm-ops-test
                region = us-east-2
                """,
            credentials: "[base]\naws_access_key_id = AKIAMOTOBASE0000001\naws_secret_access_key = basesecret\n")
        defer { files.remove() }
        let variables = MotoServer.variables(moto.url, files.variables.merging(["AWS_PROFILE": "ops"]) { $1 })
        // act
        let identity = try await whoami(.com, variables)
        // assert
        #expect(identity.arn == "arn:aws:sts::\(MotoServer.account):assumed-role/OpsRole/pcm-ops-test")
        #expect(identity.account == MotoServer.account)
    }

    @Test func govCloudARNsSayAWSUSGov() async throws {
        // setup
        let moto = try MotoServer.require()
        let files = try TemporaryAWSFiles(
            config: """
                [profile gov]
                role_arn = arn:aws-us-gov:iam::\(MotoServer.account):role/GovOps
                source_profile = govbase
                role_session_name = gov-session
                """,
            credentials: "[govbase]\naws_access_key_id = AKIAMOTOGOV00000001\naws_secret_access_key = govsecret\n")
        defer { files.remove() }
        let variables = MotoServer.variables(moto.url, files.variables.merging(["AWS_PROFILE": "gov"]) { $1 })
        // act
        let assumed = try await whoami(.gov, variables)
        let direct = try await whoami(
            .gov,
            MotoServer.variables(moto.url, ["AWS_ACCESS_KEY_ID": "AKIAMOTOGOV00000002", "AWS_SECRET_ACCESS_KEY": "s"]))
        // assert
        #expect(assumed.arn == "arn:aws-us-gov:sts::\(MotoServer.account):assumed-role/GovOps/gov-session")
        #expect(direct.arn.hasPrefix("arn:aws-us-gov:"))
    }
}

/// The guard every integration test's transport applies, checked without moto.
@Suite("Loopback-only transport")
struct LoopbackOnlyTransportTests {
    @Test func anAmazonawsEndpointIsNeverContacted() async throws {
        let variables = [
            "AWS_ACCESS_KEY_ID": "AKIAX", "AWS_SECRET_ACCESS_KEY": "s", "AWS_EC2_METADATA_DISABLED": "true",
        ]
        let endpoint = try AWSEndpointResolver(environment: .com, variables: variables).endpoint(
            for: .sts, region: "us-east-1")
        #expect(endpoint.host.hasSuffix("amazonaws.com"))
        await #expect(throws: AWSError.transport(reason: "refused non-loopback URL \(endpoint.url)")) {
            _ = try await LoopbackOnlyTransport(recordsIssue: false).send(
                AWSHTTPRequest(method: "POST", url: endpoint.url))
        }
    }
}
