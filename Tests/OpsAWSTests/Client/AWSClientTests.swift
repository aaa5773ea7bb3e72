import Foundation
import Testing

@testable import OpsAWS

@Suite("AWSClient")
struct AWSClientTests {
    static let keys = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "tok")
    static let endpoint = AWSEndpoint(
        scheme: "http", host: "127.0.0.1", port: 5000, path: "/", signingRegion: "us-gov-west-1", signingName: "sts")

    func client(_ transport: FakeHTTPTransport, clock: TestClock = TestClock()) -> AWSClient {
        AWSClient(
            transport: transport, credentials: StaticCredentialProvider(Self.keys), clock: clock,
            retryPolicy: RetryPolicy(maxAttempts: 3), sleep: { _ in })
    }

    @Test func signsAFormPostAsOfTheInjectedClock() async throws {
        // setup
        let transport = FakeHTTPTransport(sequence: [STSFixtures.callerIdentity()])
        let clock = TestClock(Date(timeIntervalSince1970: 1_440_938_160))  // 2015-08-30T12:36:00Z
        // act
        _ = try await client(transport, clock: clock).query(
            AWSQueryRequest(action: "GetCallerIdentity", version: "2011-06-15", listStyle: .member), to: Self.endpoint)
        // assert
        let sent = try #require(await transport.requests.first)
        #expect(sent.method == "POST" && sent.url == "http://127.0.0.1:5000/")
        #expect(sent.header("Host") == "127.0.0.1:5000")
        #expect(sent.header("X-Amz-Date") == "20150830T123600Z")
        #expect(sent.header("X-Amz-Security-Token") == "tok")
        #expect(sent.header("Content-Type") == AWSQueryRequest.contentType)
        let authorization = try #require(sent.header("Authorization"))
        #expect(
            authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-gov-west-1/sts/aws4_request"))
        #expect(String(decoding: sent.body, as: UTF8.self) == "Action=GetCallerIdentity&Version=2011-06-15")
    }

    @Test func errorsCarryCodeAndRequestID() async throws {
        let transport = FakeHTTPTransport(sequence: [
            STSFixtures.error("InvalidClientTokenId", status: 403, requestID: "r-1")
        ])
        await #expect(
            throws: AWSError.service(
                code: "InvalidClientTokenId", message: "InvalidClientTokenId happened", requestID: "r-1",
                httpStatus: 403)
        ) {
            try await STSClient(client: client(transport), endpoint: Self.endpoint).getCallerIdentity()
        }
        #expect(await transport.requests.count == 1)
    }

    @Test func throttlingIsRetriedThenSucceedsWithAFreshSignature() async throws {
        // setup
        let clock = TestClock()
        let transport = FakeHTTPTransport { _, index in
            clock.advance(by: 1)
            return index < 2 ? STSFixtures.error("Throttling") : STSFixtures.callerIdentity()
        }
        // act
        let identity = try await STSClient(client: client(transport, clock: clock), endpoint: Self.endpoint)
            .getCallerIdentity()
        // assert
        #expect(identity.account == "123456789012")
        let dates = await transport.requests.map { $0.header("X-Amz-Date") }
        #expect(dates.count == 3 && Set(dates).count == 3)
    }

    @Test func throttlingGivesUpAfterMaxAttempts() async throws {
        let transport = FakeHTTPTransport { _, _ in .xml("", status: 503) }
        await #expect(throws: AWSError.unrecognizedErrorResponse(httpStatus: 503, requestID: nil)) {
            try await STSClient(client: client(transport), endpoint: Self.endpoint).getCallerIdentity()
        }
        #expect(await transport.requests.count == 3)
    }

    @Test func credentialFailuresStopBeforeSending() async throws {
        let transport = FakeHTTPTransport(sequence: [])
        let client = AWSClient(
            transport: transport, credentials: CredentialProviderChain([EnvironmentCredentialProvider(variables: [:])]))
        await #expect(throws: AWSError.noCredentials(tried: ["environment: AWS_ACCESS_KEY_ID is not set"])) {
            try await STSClient(client: client, endpoint: Self.endpoint).getCallerIdentity()
        }
        #expect(await transport.requests.isEmpty)
    }
}
