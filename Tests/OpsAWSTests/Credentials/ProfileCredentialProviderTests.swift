import Foundation
import Testing

@testable import OpsAWS

@Suite("ProfileCredentialProvider")
struct ProfileCredentialProviderTests {
    static let config = """
        [default]
        region = us-east-1
        [profile base]
        region = us-west-2
        [profile dev]
        role_arn = arn:aws:iam::111111111111:role/Dev
        source_profile = base
        role_session_name = alice
        duration_seconds = 1800
        region = eu-west-1
        [profile chained]
        role_arn = arn:aws:iam::222222222222:role/Chained
        source_profile = dev
        [profile self]
        role_arn = arn:aws:iam::333333333333:role/Self
        source_profile = self
        aws_access_key_id = AKIDSELF
        aws_secret_access_key = selfsecret
        [profile nokeys]
        role_arn = arn:aws:iam::1:role/X
        source_profile = empty
        [profile empty]
        region = us-east-1
        [profile orphan]
        role_arn = arn:aws:iam::1:role/X
        [profile loop-a]
        role_arn = arn:aws:iam::1:role/A
        source_profile = loop-b
        [profile loop-b]
        role_arn = arn:aws:iam::1:role/B
        source_profile = loop-a
        [profile ghost]
        role_arn = arn:aws:iam::1:role/G
        source_profile = missing
        """
    static let credentials = """
        [base]
        aws_access_key_id = AKIDBASE
        aws_secret_access_key = basesecret
        [keys]
        aws_access_key_id = AKIDKEYS
        aws_secret_access_key = keyssecret
        aws_session_token = keystoken
        """

    func provider(
        _ profile: String?, transport: FakeHTTPTransport, extra: [String: String] = [:],
        environment: AWSEnvironment = .com
    ) -> ProfileCredentialProvider {
        let files = ["/home/u/.aws/config": Self.config, "/home/u/.aws/credentials": Self.credentials]
        return ProfileCredentialProvider(
            environment: environment, variables: ["HOME": "/home/u"].merging(extra) { _, new in new },
            profileName: profile, transport: transport, clock: TestClock(), readFile: { files[$0] })
    }

    @Test func staticKeysFromTheCredentialsFileViaAWSProfile() async throws {
        let transport = FakeHTTPTransport(sequence: [])
        let provided = try await provider(nil, transport: transport, extra: ["AWS_PROFILE": "keys"]).credentials()
        #expect(
            provided.credentials
                == AWSCredentials(
                    accessKeyID: "AKIDKEYS", secretAccessKey: "keyssecret", sessionToken: "keystoken"))
        #expect(provided.source == "profile 'keys'" && provided.expiration == nil)
    }

    @Test func roleArnAssumesWithTheSourceProfilesKeysInTheProfilesRegion() async throws {
        // setup
        let transport = FakeHTTPTransport(sequence: [STSFixtures.assumeRole()])
        // act
        let provided = try await provider("dev", transport: transport).credentials()
        // assert
        #expect(provided.credentials.accessKeyID == "ASIAASSUMED" && provided.expiration != nil)
        let sent = try #require(await transport.requests.first)
        #expect(sent.url == "https://sts.eu-west-1.amazonaws.com/")
        #expect(sent.header("Authorization")?.contains("Credential=AKIDBASE/") == true)
        #expect(await transport.form(0)["RoleSessionName"] == "alice")
        #expect(await transport.form(0)["DurationSeconds"] == "1800")
    }

    @Test func roleChainingAssumesEachRoleInTurn() async throws {
        let transport = FakeHTTPTransport(sequence: [
            STSFixtures.assumeRole(keyID: "ASIADEV"), STSFixtures.assumeRole(keyID: "ASIACHAINED"),
        ])
        let provided = try await provider(
            "chained", transport: transport, extra: ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9"]
        ).credentials()
        #expect(provided.credentials.accessKeyID == "ASIACHAINED")
        let requests = await transport.requests
        #expect(requests.map(\.url) == ["http://127.0.0.1:9/", "http://127.0.0.1:9/"])
        #expect(await transport.form(1)["RoleArn"] == "arn:aws:iam::222222222222:role/Chained")
        #expect(requests[1].header("Authorization")?.contains("Credential=ASIADEV/") == true)
        #expect(requests[1].header("X-Amz-Security-Token") == "token-ASIADEV")
    }

    @Test func aProfileMayBeItsOwnSourceProfile() async throws {
        let transport = FakeHTTPTransport(sequence: [STSFixtures.assumeRole()])
        _ = try await provider("self", transport: transport).credentials()
        #expect(await transport.requests.first?.header("Authorization")?.contains("Credential=AKIDSELF/") == true)
    }

    @Test func govCloudProfilesCallGovCloudSTS() async throws {
        // setup
        let transport = FakeHTTPTransport(sequence: [STSFixtures.assumeRole()])
        // act
        _ = try await provider("self", transport: transport, environment: .gov).credentials()
        // assert
        let sent = try #require(await transport.requests.first)
        #expect(sent.url == "https://sts.us-gov-west-1.amazonaws.com/")
        #expect(sent.header("Authorization")?.contains("/us-gov-west-1/sts/aws4_request") == true)
    }

    @Test func aCommercialProfileRegionIsRefusedInGovCloud() async throws {
        let transport = FakeHTTPTransport(sequence: [])
        await #expect(
            throws: AWSError.credentialSourceFailed(
                source: "profile 'dev'", operation: "AssumeRole arn:aws:iam::111111111111:role/Dev",
                cause: .endpoint(reason: "region 'eu-west-1' is not in environment gov (aws-us-gov)"))
        ) { try await provider("dev", transport: transport, environment: .gov).credentials() }
        #expect(await transport.requests.isEmpty)
    }

    @Test func misconfiguredProfilesNameWhatIsWrong() async throws {
        let cases: [(String, String)] = [
            ("nokeys", "source_profile 'empty' has no aws_access_key_id"),
            ("orphan", "has role_arn but no source_profile (credential_source is not supported)"),
            ("loop-a", "source_profile cycle loop-a → loop-b → loop-a"),
            ("ghost", "source_profile 'missing' does not exist"),
            ("nope", "no such profile in /home/u/.aws/config and /home/u/.aws/credentials"),
        ]
        for (profile, reason) in cases {
            await #expect(throws: AWSError.credentials(source: "profile '\(profile)'", reason: reason)) {
                try await provider(profile, transport: FakeHTTPTransport(sequence: [])).credentials()
            }
        }
    }

    @Test func anUnconfiguredDefaultProfileIsMerelyUnavailable() async throws {
        await #expect(
            throws: AWSError.credentialsUnavailable(
                source: "profile 'default'", reason: "has neither aws_access_key_id nor role_arn")
        ) { try await provider(nil, transport: FakeHTTPTransport(sequence: [])).credentials() }
        let noFiles = ProfileCredentialProvider(
            environment: .com, variables: ["HOME": "/nowhere"], transport: FakeHTTPTransport(sequence: []),
            readFile: { _ in nil })
        await #expect(throws: AWSError.self) { try await noFiles.credentials() }
        do {
            _ = try await noFiles.credentials()
        } catch AWSError.credentialsUnavailable(let source, _) {
            #expect(source == "profile 'default'")
        }
    }

    @Test func assumeRoleFailuresKeepTheAWSErrorCode() async throws {
        let transport = FakeHTTPTransport(sequence: [STSFixtures.error("AccessDenied", status: 403, requestID: "r-9")])
        do {
            _ = try await provider("dev", transport: transport).credentials()
            Issue.record("AssumeRole should have failed")
        } catch let error as AWSError {
            #expect(error.code == "AccessDenied" && error.requestID == "r-9" && error.httpStatus == 403)
            #expect(
                error.description.hasPrefix(
                    "AWS credentials from profile 'dev': AssumeRole arn:aws:iam::111111111111:role/Dev failed: AWS error AccessDenied"
                ))
        }
    }
}
