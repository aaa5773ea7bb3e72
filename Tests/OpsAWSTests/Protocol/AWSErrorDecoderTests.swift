import Testing

@testable import OpsAWS

@Suite("AWS error decoding")
struct AWSErrorDecoderTests {
    private func decode(
        _ status: Int, _ body: String, _ wireProtocol: AWSWireProtocol, headers: [(name: String, value: String)] = []
    ) -> AWSError {
        AWSErrorDecoder.decode(status: status, headers: headers, body: Array(body.utf8), protocol: wireProtocol)
    }

    @Test func queryErrorResponse() {
        // setup
        let body = """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <Error>
                <Type>Sender</Type>
                <Code>InvalidClientTokenId</Code>
                <Message>The security token included in the request is invalid.</Message>
              </Error>
              <RequestId>4ee2e9b8-2e5a-4a28-b1a6-example</RequestId>
            </ErrorResponse>
            """
        // act
        let error = decode(403, body, .query)
        // assert
        #expect(
            error
                == .service(
                    code: "InvalidClientTokenId", message: "The security token included in the request is invalid.",
                    requestID: "4ee2e9b8-2e5a-4a28-b1a6-example", httpStatus: 403))
        #expect(!error.isThrottling)
    }

    @Test func queryThrottling() {
        // act
        let error = decode(
            400,
            "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>",
            .query)
        // assert
        #expect(error.code == "Throttling")
        #expect(error.isThrottling)
    }

    @Test func ec2ErrorsWithUppercaseRequestID() {
        // setup
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>\
            <Message>The instance ID 'i-1' does not exist</Message></Error></Errors>\
            <RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>
            """
        // act
        let error = decode(400, body, .ec2)
        // assert
        #expect(
            error
                == .service(
                    code: "InvalidInstanceID.NotFound", message: "The instance ID 'i-1' does not exist",
                    requestID: "ea966190-f9aa-478e-9ede-example", httpStatus: 400))
    }

    @Test func ec2RequestLimitExceededIsThrottling() {
        // act
        let error = decode(
            503,
            "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message>"
                + "</Error></Errors><RequestID>r</RequestID></Response>", .ec2)
        // assert
        #expect(error.code == "RequestLimitExceeded")
        #expect(error.isThrottling)
    }

    @Test func theRequestIDHeaderFillsInWhenTheBodyHasNone() {
        // act
        let error = decode(
            400, "<Error><Code>AccessDenied</Code></Error>", .query, headers: [("X-Amzn-RequestId", "from-header")])
        // assert
        #expect(error == .service(code: "AccessDenied", message: "", requestID: "from-header", httpStatus: 400))
    }

    @Test(arguments: [
        "", "<ErrorResponse><Error><Message>no code</Message></Error></ErrorResponse>",
        "<html><body><h1>503 Service Unavailable</h1></body></html>", "<Response><Errors/></Response>",
        "<Error><Code>  </Code></Error>",
    ])
    func xmlWithoutAnErrorCodeIsUnrecognized(_ body: String) {
        // act
        let error = decode(503, body, .query, headers: [("x-amz-request-id", "hdr")])
        // assert: still throttling, because of the status
        #expect(error == .unrecognizedErrorResponse(httpStatus: 503, requestID: "hdr"))
        #expect(error.isThrottling)
    }

    @Test func aGatewayErrorWithoutAnErrorDocumentIsNotThrottling() {
        // act
        let error = decode(502, "<html>Bad Gateway</html>", .ec2)
        // assert
        #expect(error == .unrecognizedErrorResponse(httpStatus: 502, requestID: nil))
        #expect(!error.isThrottling)
    }

    @Test func jsonTypeWithNamespaceAndLowercaseMessage() {
        // act
        let error = decode(
            400, #"{"__type":"com.amazonaws.ssm#InvalidInstanceId","message":"Instances [i-1] not in a valid state"}"#,
            .json, headers: [("x-amzn-RequestId", "ssm-req-1")])
        // assert
        #expect(
            error
                == .service(
                    code: "InvalidInstanceId", message: "Instances [i-1] not in a valid state", requestID: "ssm-req-1",
                    httpStatus: 400))
    }

    @Test func jsonThrottlingException() {
        // act
        let error = decode(400, #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#, .json)
        // assert
        #expect(error.code == "ThrottlingException")
        #expect(error.isThrottling)
    }

    @Test func jsonCapitalMessageAndColonSuffix() {
        // act
        let error = decode(
            400,
            #"{"__type":"aws.protocoltests#ValidationException:http://internal.amazon.com/coral/","Message":"Bad"}"#,
            .json)
        // assert
        #expect(error.code == "ValidationException")
        #expect(error.message == "Bad")
    }

    @Test func jsonCodeFromTheErrorTypeHeader() {
        // act
        let error = decode(
            400, #"{"message":"nope"}"#, .json, headers: [("X-Amzn-ErrorType", "AccessDeniedException:http://x/")])
        // assert
        #expect(error.code == "AccessDeniedException")
        #expect(error.message == "nope")
    }

    @Test func jsonQueryCompatibleCodeHeaderWins() {
        // act
        let error = decode(
            400, #"{"__type":"com.amazon.coral.service#QueueDoesNotExist"}"#, .json,
            headers: [("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")])
        // assert
        #expect(error.code == "AWS.SimpleQueueService.NonExistentQueue")
    }

    @Test func rateExceededMessageMeansThrottlingWhateverTheCode() {
        #expect(decode(400, #"{"__type":"SomethingElse","message":"Rate exceeded"}"#, .json).isThrottling)
    }

    @Test(arguments: ["", "not json", "[1,2]", #"{"message":"no code anywhere"}"#, #"{"__type":""}"#])
    func jsonWithoutACodeIsUnrecognized(_ body: String) {
        // act
        let error = decode(429, body, .json, headers: [("x-amzn-requestid", "req")])
        // assert
        #expect(error == .unrecognizedErrorResponse(httpStatus: 429, requestID: "req"))
        #expect(error.isThrottling)
    }
}
