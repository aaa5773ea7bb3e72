import Testing

@testable import OpsAWS

@Suite("AWSError credential and transport cases")
struct AWSErrorCredentialTests {
    @Test func aWrappedServiceErrorKeepsItsCodeRequestIDAndStatus() {
        let cause = AWSError.service(code: "Throttling", message: "slow", requestID: "r", httpStatus: 400)
        let wrapped = AWSError.credentialSourceFailed(source: "profile 'dev'", operation: "AssumeRole a", cause: cause)
        #expect(wrapped.rootCause == cause)
        #expect(wrapped.code == "Throttling" && wrapped.message == "slow" && wrapped.requestID == "r")
        #expect(wrapped.httpStatus == 400 && wrapped.isThrottling)
        #expect(
            wrapped.description
                == "AWS credentials from profile 'dev': AssumeRole a failed: AWS error Throttling: slow (HTTP 400, request id r)"
        )
    }

    @Test func descriptionsNameTheSource() {
        #expect(
            AWSError.credentials(source: "profile 'dev'", reason: "source_profile 'base' has no aws_access_key_id")
                .description
                == "AWS credentials from profile 'dev': source_profile 'base' has no aws_access_key_id")
        #expect(
            AWSError.noCredentials(tried: ["environment: x", "IMDSv2: y"]).description
                == "no AWS credentials found (tried environment: x; IMDSv2: y)")
        #expect(AWSError.endpoint(reason: "r").description == "AWS endpoint: r")
        for error in [AWSError.transport(reason: "t"), .endpoint(reason: "e"), .noCredentials(tried: [])] {
            #expect(error.code == nil && error.requestID == nil && error.httpStatus == nil && !error.isThrottling)
        }
    }
}
