import Testing

@testable import OpsWinRM

/// How answers are checked before anything in them is used.
@Suite("WS-Management answers")
struct WSManSessionTests {
    static let id = "uuid:AAAAAAAA-0000-0000-0000-000000000001"

    private func check(status: Int = 200, _ body: String, operation: WinRSOperation = .signal) throws(WSManError)
        -> WSManXMLElement
    {
        try WSManSession.check(
            WSManHTTPResponse(status: status, body: Array(body.utf8)), answering: operation, messageID: Self.id)
    }

    @Test func anAnswerToThisRequestIsAccepted() throws {
        let body = try check(
            WinRSReplies.envelope(action: "SignalResponse", relatesTo: Self.id, body: "<rsp:SignalResponse/>"))
        #expect(body.child(XMLNamespace.shell, "SignalResponse") != nil)
    }

    @Test func relatesToIsComparedWithoutRegardToCase() throws {
        _ = try check(WinRSReplies.envelope(action: "SignalResponse", relatesTo: Self.id.lowercased(), body: ""))
    }

    @Test func anAnswerToAnotherRequestIsRefused() {
        let other = "uuid:BBBBBBBB-0000-0000-0000-000000000002"
        #expect(throws: WSManError.relatesToMismatch(operation: "Signal", expected: Self.id, received: other)) {
            try check(WinRSReplies.envelope(action: "SignalResponse", relatesTo: other, body: ""))
        }
    }

    @Test func anAnswerWithoutRelatesToIsRefused() {
        let body = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header/><s:Body/></s:Envelope>"
        #expect(throws: WSManError.relatesToMismatch(operation: "Signal", expected: Self.id, received: nil)) {
            try check(body)
        }
    }

    @Test func aFaultForAnotherRequestIsRefusedToo() {
        let fault = WinRSReplies.fault(
            code: 5, subcode: "AccessDenied", message: "Access is denied.", relatesTo: "uuid:other")
        #expect(throws: WSManError.relatesToMismatch(operation: "Signal", expected: Self.id, received: "uuid:other")) {
            try check(status: 500, fault)
        }
    }

    @Test func aFaultWithoutRelatesToIsStillReportedAsTheFault() throws {
        // setup: proxies and HTTP.sys-level failures answer without addressing headers
        let body =
            "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value>"
            + "</s:Code><s:Reason><s:Text>The service is stopping.</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>"
        // act
        let error = #expect(throws: WSManError.self) { try check(status: 500, body) }
        // assert
        #expect(
            error
                == .fault(
                    WinRMFault(code: nil, subcode: nil, soapCode: "Receiver", message: "The service is stopping.")))
    }

    @Test func anUnexpectedActionIsRefused() {
        #expect(throws: WSManError.self) {
            try check(
                WinRSReplies.envelope(action: "ReceiveResponse", relatesTo: Self.id, body: ""), operation: .signal)
        }
    }

    @Test(
        "HTTP failures without a SOAP fault are named by their status",
        arguments: [
            (401, "refused the credentials"), (403, "refused access"), (404, "no WinRM listener"),
            (413, "MaxEnvelopeSize"), (500, "MaxConcurrentOperationsPerUser"), (503, "unavailable"),
            (502, "unexpected HTTP status"),
        ])
    func httpStatus(code: Int, phrase: String) {
        for body in ["", "<html><body>Bad Request</body></html>", "plain text"] {
            let error = #expect(throws: WSManError.self) { try check(status: code, body) }
            #expect(error == .httpStatus(code: code, bodyBytes: body.utf8.count))
            #expect(error?.description.contains(phrase) == true)
            #expect(error?.description.contains("<html>") == false)
        }
    }

    @Test func only503IsRetryableAmongStatuses() {
        #expect(WSManError.httpStatus(code: 503, bodyBytes: 0).isRetryable)
        #expect(!WSManError.httpStatus(code: 500, bodyBytes: 0).isRetryable)
        #expect(!WSManError.httpStatus(code: 401, bodyBytes: 0).isRetryable)
    }

    @Test func aSOAPEnvelopeWithAFailureStatusButNoFaultIsNamedByTheStatus() {
        let body = WinRSReplies.envelope(action: "SignalResponse", relatesTo: Self.id, body: "")
        #expect(throws: WSManError.httpStatus(code: 400, bodyBytes: body.utf8.count)) { try check(status: 400, body) }
    }

    @Test func malformedXMLWithStatus200IsMalformed() {
        let error = #expect(throws: WSManError.self) { try check("<s:Envelope><unclosed") }
        guard case .malformedXML = error else {
            Issue.record("expected malformedXML, got \(String(describing: error))")
            return
        }
    }

    @Test func aDocumentThatIsNotASOAPEnvelopeIsMalformed() {
        #expect(throws: WSManError.malformedXML(reason: "the document is not a SOAP 1.2 envelope")) {
            try check("<Envelope><Body/></Envelope>")
        }
        #expect(throws: WSManError.malformedXML(reason: "the SOAP envelope has no body")) {
            try check("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header/></s:Envelope>")
        }
    }
}
