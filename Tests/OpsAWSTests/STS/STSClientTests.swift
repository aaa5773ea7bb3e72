import Foundation
import Testing

@testable import OpsAWS

@Suite("STSClient")
struct STSClientTests {
    func sts(_ transport: FakeHTTPTransport) -> STSClient {
        let client = AWSClient(
            transport: transport, credentials: StaticCredentialProvider(AWSClientTests.keys), clock: TestClock())
        return STSClient(client: client, endpoint: AWSClientTests.endpoint)
    }

    @Test func getCallerIdentityReadsAccountARNAndUserID() async throws {
        let transport = FakeHTTPTransport(sequence: [STSFixtures.callerIdentity(arn: "arn:aws-us-gov:iam::1:user/x")])
        let identity = try await sts(transport).getCallerIdentity()
        #expect(
            identity
                == CallerIdentity(account: "123456789012", arn: "arn:aws-us-gov:iam::1:user/x", userID: "AIDAEXAMPLE"))
    }

    @Test func assumeRoleSendsItsParametersAndReadsTheSession() async throws {
        // setup
        let transport = FakeHTTPTransport(sequence: [STSFixtures.assumeRole(expiration: "2026-11-18T12:00:00.123Z")])
        // act
        let role = try await sts(transport).assumeRole(
            roleARN: "arn:aws:iam::210987654321:role/Ops", sessionName: "pcm ops", duration: .seconds(900))
        // assert
        #expect(
            await transport.form(0) == [
                "Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": "arn:aws:iam::210987654321:role/Ops",
                "RoleSessionName": "pcm ops", "DurationSeconds": "900",
            ])
        #expect(
            role.credentials
                == AWSCredentials(
                    accessKeyID: "ASIAASSUMED", secretAccessKey: "secret-ASIAASSUMED", sessionToken: "token-ASIAASSUMED"
                ))
        #expect(abs(role.expiration.timeIntervalSince1970 - 1_795_003_200.123) < 0.001)
        #expect(role.assumedRoleARN == "arn:aws:sts::123456789012:assumed-role/Admin/session")
    }

    @Test func malformedResponsesAreErrors() async throws {
        let missing = FakeHTTPTransport(sequence: [.xml("<GetCallerIdentityResponse/>")])
        await #expect(throws: AWSError.missingElement(path: "GetCallerIdentityResponse/GetCallerIdentityResult")) {
            try await sts(missing).getCallerIdentity()
        }
        let badDate = FakeHTTPTransport(sequence: [STSFixtures.assumeRole(expiration: "tomorrow")])
        await #expect(throws: AWSError.malformedXML(reason: "AssumeRole Expiration 'tomorrow' is not an ISO 8601 time"))
        {
            try await sts(badDate).assumeRole(roleARN: "arn", sessionName: "s")
        }
    }
}
