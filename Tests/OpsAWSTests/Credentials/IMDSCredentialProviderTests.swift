import Foundation
import Testing

@testable import OpsAWS

@Suite("IMDSCredentialProvider")
struct IMDSCredentialProviderTests {
    static let document = """
        {"Code": "Success", "LastUpdated": "2026-11-18T10:00:00Z", "Type": "AWS-HMAC",
         "AccessKeyId": "ASIAIMDS", "SecretAccessKey": "imdssecret", "Token": "imdstoken",
         "Expiration": "2026-11-18T16:00:00Z"}
        """
    static let variables = ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1338/"]

    func provider(_ transport: FakeHTTPTransport, _ variables: [String: String] = Self.variables)
        -> IMDSCredentialProvider
    {
        IMDSCredentialProvider(variables: variables, transport: transport)
    }

    @Test func tokenThenRoleNameThenRoleDocument() async throws {
        // setup
        let transport = FakeHTTPTransport(sequence: [.text("TOKEN"), .text("web-role\n"), .text(Self.document)])
        // act
        let provided = try await provider(transport).credentials()
        // assert
        #expect(
            provided.credentials
                == AWSCredentials(
                    accessKeyID: "ASIAIMDS", secretAccessKey: "imdssecret", sessionToken: "imdstoken"))
        #expect(provided.expiration == ISO8601Timestamp.parse("2026-11-18T16:00:00Z"))
        #expect(provided.source == "IMDSv2 role 'web-role'")
        let requests = await transport.requests
        #expect(
            requests.map { "\($0.method) \($0.url)" } == [
                "PUT http://127.0.0.1:1338/latest/api/token",
                "GET http://127.0.0.1:1338/latest/meta-data/iam/security-credentials/",
                "GET http://127.0.0.1:1338/latest/meta-data/iam/security-credentials/web-role",
            ])
        #expect(requests[0].header("X-aws-ec2-metadata-token-ttl-seconds") == "21600")
        #expect(requests[1].header("X-aws-ec2-metadata-token") == "TOKEN")
        #expect(requests[2].header("X-aws-ec2-metadata-token") == "TOKEN")
        #expect(requests.allSatisfy { $0.timeout == .seconds(1) })
    }

    @Test func theDefaultEndpointIsTheLinkLocalAddress() {
        #expect(provider(FakeHTTPTransport(sequence: []), [:]).endpoint == "http://169.254.169.254")
    }

    @Test func disabledMeansNoRequestAtAll() async throws {
        let transport = FakeHTTPTransport(sequence: [])
        await #expect(
            throws: AWSError.credentialsUnavailable(source: "IMDSv2", reason: "AWS_EC2_METADATA_DISABLED is true")
        ) {
            try await provider(transport, ["AWS_EC2_METADATA_DISABLED": "TRUE"]).credentials()
        }
        #expect(await transport.requests.isEmpty)
    }

    @Test func unreachableOrRolelessIsUnavailable() async throws {
        let unreachable = FakeHTTPTransport { _, _ in throw AWSError.transport(reason: "timed out") }
        await #expect(
            throws: AWSError.credentialsUnavailable(
                source: "IMDSv2", reason: "http://127.0.0.1:1338 not reachable: AWS request failed: timed out")
        ) { try await provider(unreachable).credentials() }
        let noRole = FakeHTTPTransport(sequence: [.text("T"), .text("", status: 404)])
        await #expect(
            throws: AWSError.credentialsUnavailable(source: "IMDSv2", reason: "no IAM role attached to the instance")
        ) {
            try await provider(noRole).credentials()
        }
    }

    @Test func failuresAfterContactNameTheStep() async throws {
        let cases: [([AWSHTTPResponse], AWSError)] = [
            ([.text("", status: 403)], .credentials(source: "IMDSv2", reason: "token request answered HTTP 403")),
            ([.text("")], .credentials(source: "IMDSv2", reason: "token request returned an empty token")),
            (
                [.text("T"), .text("", status: 401)],
                .credentials(source: "IMDSv2", reason: "role list answered HTTP 401")
            ),
            (
                [.text("T"), .text("r"), .text("", status: 500)],
                .credentials(source: "IMDSv2", reason: "role 'r' answered HTTP 500")
            ),
            (
                [.text("T"), .text("r"), .text(#"{"Code": "AssumeRoleUnauthorizedAccess"}"#)],
                .credentials(
                    source: "IMDSv2 role 'r'", reason: "credentials document has Code AssumeRoleUnauthorizedAccess")
            ),
            (
                [.text("T"), .text("r"), .text("<html>")],
                .credentials(source: "IMDSv2 role 'r'", reason: "credentials document is not JSON")
            ),
            (
                [.text("T"), .text("r"), .text(#"{"Code": "Success", "AccessKeyId": "A"}"#)],
                .credentials(
                    source: "IMDSv2 role 'r'", reason: "credentials document lacks AccessKeyId/SecretAccessKey")
            ),
        ]
        for (responses, expected) in cases {
            await #expect(throws: expected) { try await provider(FakeHTTPTransport(sequence: responses)).credentials() }
        }
    }
}
