import Foundation

/// Turns an AWS error response into an `AWSError`. It never fails: a body it cannot read still yields
/// `.unrecognizedErrorResponse` with the status and whatever request id the headers carry, so a throttled 503
/// from a load balancer is recognised as throttling.
public enum AWSErrorDecoder {
    /// Decodes an error response. `headers` is any sequence of name/value pairs (AsyncHTTPClient's
    /// `HTTPHeaders` is one); names are compared case-insensitively.
    public static func decode(
        status: Int, headers: some Sequence<(name: String, value: String)>, body: [UInt8],
        protocol wireProtocol: AWSWireProtocol
    ) -> AWSError {
        let headerValues = Dictionary(
            headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        let headerRequestID = headerValues["x-amzn-requestid"] ?? headerValues["x-amz-request-id"]
        let parsed: ParsedError? =
            switch wireProtocol {
            case .query, .ec2: parseXML(body)
            case .json: parseJSON(body, headers: headerValues)
            }
        guard let parsed else {
            return .unrecognizedErrorResponse(httpStatus: status, requestID: headerRequestID)
        }
        return .service(
            code: parsed.code, message: parsed.message, requestID: parsed.requestID ?? headerRequestID,
            httpStatus: status)
    }

    private struct ParsedError {
        var code: String
        var message: String
        var requestID: String?
    }

    /// Query: `<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>`.
    /// EC2: `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`.
    /// Both shapes are accepted whichever protocol was named, and so is a bare `<Error>` root.
    private static func parseXML(_ body: [UInt8]) -> ParsedError? {
        guard let root = try? XMLTree.parse(body) else { return nil }
        let error = root.name == "Error" ? root : root.child("Error") ?? root.child("Errors")?.child("Error")
        guard let error, let code = error.string("Code").map(trimmed), !code.isEmpty else { return nil }
        let requestID = root.string("RequestId") ?? root.string("RequestID") ?? error.string("RequestId")
        return ParsedError(
            code: code, message: error.string("Message").map(trimmed) ?? "", requestID: requestID.map(trimmed))
    }

    private struct JSONErrorBody: Decodable {
        var type: String?
        var code: String?
        var lowerMessage: String?
        var upperMessage: String?

        enum CodingKeys: String, CodingKey {
            case type = "__type"
            case code
            case lowerMessage = "message"
            case upperMessage = "Message"
        }
    }

    /// `{"__type": "com.amazonaws.ssm#InvalidInstanceId", "message": "…"}`; the code may instead come from
    /// `code` or the `x-amzn-ErrorType` header, and services that keep Query error codes for compatibility send
    /// them in `x-amzn-query-error: Code;Sender`.
    private static func parseJSON(_ body: [UInt8], headers: [String: String]) -> ParsedError? {
        let decoded = try? JSONDecoder().decode(JSONErrorBody.self, from: Data(body))
        let rawCode = decoded?.type ?? decoded?.code ?? headers["x-amzn-errortype"]
        guard var code = rawCode.map(shapeName), !code.isEmpty else { return nil }
        if let queryCode = headers["x-amzn-query-error"]?.split(separator: ";").first, !queryCode.isEmpty {
            code = String(queryCode)
        }
        let message = decoded?.lowerMessage ?? decoded?.upperMessage ?? ""
        return ParsedError(code: code, message: message, requestID: nil)
    }

    /// `aws.protocoltests#FooError:http://internal.amazon.com/…` → `FooError`.
    private static func shapeName(_ raw: String) -> String {
        let beforeColon = raw.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let afterHash = beforeColon.split(separator: "#", omittingEmptySubsequences: false).last ?? ""
        return trimmed(String(afterHash))
    }

    private static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
