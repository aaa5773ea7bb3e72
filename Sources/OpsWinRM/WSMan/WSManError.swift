/// What went wrong talking WS-Management to a WinRM listener (MS-WSMV). Every case reads as a sentence a
/// user can act on; none carries a raw XML dump.
public enum WSManError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The service answered with a SOAP fault (MS-WSMV 2.2.4.43 WSManFault).
    case fault(WinRMFault)
    /// The service answered with an HTTP status and no SOAP fault in the body.
    case httpStatus(code: Int, bodyBytes: Int)
    /// The answer is not well-formed XML (or not a SOAP envelope).
    case malformedXML(reason: String)
    /// The answer is a SOAP envelope but lacks what the operation needs (a ShellId, a CommandId, …).
    case malformedResponse(operation: String, reason: String)
    /// The answer's `wsa:RelatesTo` is not the `wsa:MessageID` of the request: it answers another request
    /// (a proxy or a confused connection), so it must not be used.
    case relatesToMismatch(operation: String, expected: String, received: String?)
    /// A value cannot be carried in XML 1.0 at all (control characters other than tab, CR and LF).
    case unrepresentableText(field: String)
    /// Something the caller passed cannot be sent as asked.
    case invalidRequest(reason: String)
    /// The command did not finish before the caller's deadline; it was signalled to terminate and its
    /// shell deleted.
    case deadlineExceeded(operation: String)
    /// A command the client runs for itself (the elevation check) answered something it cannot read.
    case unexpectedOutput(operation: String, detail: String)

    /// Whether trying the same thing again later may succeed: quota faults (the service says "retry later"),
    /// HTTP 503 and a service that is overloaded. Never true for authentication or request errors.
    public var isRetryable: Bool {
        switch self {
        case .fault(let fault): return fault.isRetryable
        case .httpStatus(let code, _): return code == 503
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .fault(let fault):
            return fault.description
        case .httpStatus(let code, let bodyBytes):
            return Self.describeHTTPStatus(code) + " (HTTP \(code), \(bodyBytes) byte body without a SOAP fault)"
        case .malformedXML(let reason):
            return "the WinRM service answered with malformed XML: \(reason)"
        case .malformedResponse(let operation, let reason):
            return "the WinRM service's answer to \(operation) is not usable: \(reason)"
        case .relatesToMismatch(let operation, let expected, let received):
            return "the answer to \(operation) relates to message \(received ?? "(none)") instead of \(expected): "
                + "it belongs to another request, so it was not used"
        case .unrepresentableText(let field):
            return "\(field) contains control characters that XML cannot carry"
        case .invalidRequest(let reason):
            return reason
        case .deadlineExceeded(let operation):
            return
                "\(operation) did not finish before its deadline: it was signalled to terminate and its shell deleted"
        case .unexpectedOutput(let operation, let detail):
            return "\(operation) gave an unexpected answer: \(detail)"
        }
    }

    private static func describeHTTPStatus(_ code: Int) -> String {
        switch code {
        case 401:
            return "the WinRM service refused the credentials or the authentication method"
        case 403:
            return "the WinRM service refused access (the account may lack the rights to use WinRM remotely)"
        case 404:
            return "no WinRM listener at this path (is the URL /wsman and the listener configured?)"
        case 411, 415:
            return "the WinRM service refused the request's framing"
        case 413:
            return
                "the WinRM service refused a request larger than its MaxEnvelopeSize (winrm/config MaxEnvelopeSizekb)"
        case 500:
            return "the WinRM service failed with an internal error and no fault text "
                + "(often a per-user quota such as MaxConcurrentOperationsPerUser exhausted by leaked shells)"
        case 503:
            return "the WinRM service is unavailable; retry later"
        default:
            return "the WinRM service answered with an unexpected HTTP status"
        }
    }
}
