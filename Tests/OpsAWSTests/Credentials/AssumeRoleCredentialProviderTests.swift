import Foundation
import Testing

@testable import OpsAWS

@Suite("AssumeRoleCredentialProvider")
struct AssumeRoleCredentialProviderTests {
    func provider(_ transport: FakeHTTPTransport, clock: TestClock) -> AssumeRoleCredentialProvider {
        AssumeRoleCredentialProvider(
            roleARN: "arn:aws-us-gov:iam::210987654321:role/Ops", sessionName: "pcm-ops", duration: .seconds(3600),
            base: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDBASE", secretAccessKey: "s")),
            resolver: AWSEndpointResolver(environment: .gov), region: "us-gov-east-1", transport: transport,
            clock: clock, source: "account 'prod'")
    }

    @Test func cachedPerAccountUntilFiveMinutesBeforeExpiry() async throws {
        // setup: sessions expire one hour after the clock's start
        let clock = TestClock(ISO8601Timestamp.parse("2026-11-18T11:00:00Z") ?? Date())
        let transport = FakeHTTPTransport { _, index in
            STSFixtures.assumeRole(
                keyID: "ASIA\(index)", expiration: index == 0 ? "2026-11-18T12:00:00Z" : "2026-11-18T13:00:00Z")
        }
        let cache = CachedCredentialProvider(provider(transport, clock: clock), clock: clock)
        // act + assert
        #expect(try await cache.credentials().credentials.accessKeyID == "ASIA0")
        clock.advance(by: 54 * 60)
        #expect(try await cache.credentials().credentials.accessKeyID == "ASIA0")
        clock.advance(by: 60)
        #expect(try await cache.credentials().credentials.accessKeyID == "ASIA1")
        let requests = await transport.requests
        #expect(requests.count == 2 && requests[0].url == "https://sts.us-gov-east-1.amazonaws.com/")
        #expect(await transport.form(0)["DurationSeconds"] == "3600")
    }

    @Test func failuresNameTheAccountAndKeepTheCode() async throws {
        let transport = FakeHTTPTransport(sequence: [STSFixtures.error("AccessDenied", status: 403)])
        await #expect(
            throws: AWSError.credentialSourceFailed(
                source: "account 'prod'", operation: "AssumeRole arn:aws-us-gov:iam::210987654321:role/Ops",
                cause: .service(
                    code: "AccessDenied", message: "AccessDenied happened", requestID: "req-err", httpStatus: 403))
        ) { try await provider(transport, clock: TestClock()).credentials() }
    }
}
