import Testing

@testable import OpsAWS

@Suite("AWSError")
struct AWSErrorTests {
    @Test(arguments: [
        "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException", "ThrottledException",
        "RequestThrottledException", "ProvisionedThroughputExceededException", "BandwidthLimitExceeded",
        "RequestThrottled", "SlowDown", "EC2ThrottledException",
    ])
    func throttlingCodes(_ code: String) {
        #expect(AWSError.service(code: code, message: "", requestID: nil, httpStatus: 400).isThrottling)
    }

    @Test(arguments: ["AccessDenied", "ValidationException", "LimitExceededException", "InvalidInstanceId"])
    func otherCodesAreNotThrottling(_ code: String) {
        #expect(!AWSError.service(code: code, message: "denied", requestID: nil, httpStatus: 400).isThrottling)
    }

    @Test(arguments: [429, 503])
    func throttlingStatusesWhateverTheCode(_ status: Int) {
        #expect(
            AWSError.service(code: "ServiceUnavailable", message: "", requestID: nil, httpStatus: status).isThrottling)
        #expect(AWSError.unrecognizedErrorResponse(httpStatus: status, requestID: nil).isThrottling)
    }

    @Test func rateExceededIsMatchedWithoutRegardToCase() {
        #expect(
            AWSError.service(code: "X", message: "rate Exceeded for op", requestID: nil, httpStatus: 400).isThrottling)
    }

    @Test func localFailuresAreNeitherThrottlingNorHTTP() {
        for error in [AWSError.malformedXML(reason: "r"), .missingElement(path: "a/b")] {
            #expect(!error.isThrottling)
            #expect(error.httpStatus == nil)
            #expect(error.requestID == nil)
            #expect(error.code == nil)
        }
    }

    @Test func descriptionsCarryCodeMessageStatusAndRequestID() {
        #expect(
            AWSError.service(code: "AccessDenied", message: "No.", requestID: "r-1", httpStatus: 403).description
                == "AWS error AccessDenied: No. (HTTP 403, request id r-1)")
        #expect(
            AWSError.service(code: "Throttling", message: "", requestID: nil, httpStatus: 400).description
                == "AWS error Throttling (HTTP 400)")
        #expect(
            AWSError.unrecognizedErrorResponse(httpStatus: 502, requestID: "r").description
                == "AWS answered HTTP 502 without an error document, request id r")
        #expect(AWSError.malformedXML(reason: "x").description == "malformed XML in AWS response: x")
        #expect(AWSError.missingElement(path: "a/b").description == "AWS response lacks a/b")
    }
}
