import Foundation

/// Sends WS-Management requests over an exchanger and checks every answer: that it is a SOAP envelope, that it
/// answers this request (`wsa:RelatesTo`), and that it is not a fault. One session talks to one listener.
public struct WSManSession: Sendable {
    public let exchanger: any WSManExchanger
    public let configuration: WSManConfiguration
    /// Makes the `wsa:MessageID` of each request: a fresh `uuid:…` every time (tests pin it).
    let makeMessageID: @Sendable () -> String

    public init(
        exchanger: any WSManExchanger, configuration: WSManConfiguration,
        messageID: @escaping @Sendable () -> String = WSManSession.randomMessageID
    ) {
        self.exchanger = exchanger
        self.configuration = configuration
        self.makeMessageID = messageID
    }

    /// A new `uuid:` message ID (RFC 4122 version 4, upper case as Windows writes them).
    @Sendable public static func randomMessageID() -> String {
        "uuid:" + UUID().uuidString
    }

    /// Sends `request` and returns the body of its answer. Throws ``WSManError/fault(_:)`` for a SOAP fault,
    /// ``WSManError/httpStatus(code:bodyBytes:)`` for a failure status without one, and a malformed-answer
    /// error when the reply cannot be trusted.
    func perform(_ request: WSManRequest) async throws -> WSManXMLElement {
        let messageID = makeMessageID()
        let envelope = try WSManEnvelope.render(request, messageID: messageID, configuration: configuration)
        let reply = try await exchanger.exchange(envelope)
        return try Self.check(reply, answering: request.operation, messageID: messageID)
    }

    static func check(_ reply: WSManHTTPResponse, answering operation: WinRSOperation, messageID: String)
        throws(WSManError) -> WSManXMLElement
    {
        let response: WSManResponse
        do {
            response = try WSManResponse.parse(reply.body)
        } catch {
            // Without a readable SOAP body, the HTTP status is the best account of a failure.
            if reply.status != 200 { throw .httpStatus(code: reply.status, bodyBytes: reply.body.count) }
            throw error
        }
        let name = operation.rawValue
        if let relatesTo = response.relatesTo, relatesTo.lowercased() != messageID.lowercased() {
            throw .relatesToMismatch(operation: name, expected: messageID, received: relatesTo)
        }
        if let fault = response.fault { throw .fault(fault) }
        guard reply.status == 200 else { throw .httpStatus(code: reply.status, bodyBytes: reply.body.count) }
        guard response.relatesTo != nil else {
            throw .relatesToMismatch(operation: name, expected: messageID, received: nil)
        }
        if let action = response.action, action != operation.responseAction {
            throw .malformedResponse(operation: name, reason: "it carries the action \(action.prefix(200))")
        }
        return response.body
    }
}
