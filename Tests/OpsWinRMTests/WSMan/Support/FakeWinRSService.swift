import Foundation
import OpsCore

@testable import OpsWinRM

/// An in-memory WinRS service: answers each operation the way Windows does unless a test scripted another
/// reply for it, and records every request it saw.
final class FakeWinRSService: WSManExchanger, @unchecked Sendable {
    /// A scripted answer to one request.
    enum Reply: Sendable {
        /// What Windows answers when all is well.
        case success
        /// A ReceiveResponse with these chunks; Done with the exit code when one is given.
        case output([WinRSOutput], exitCode: Int32?)
        /// A SOAP fault with HTTP 500.
        case fault(code: UInt32, subcode: String, message: String)
        /// This status and body, as they are.
        case http(status: Int, body: [UInt8])
        /// This envelope text, with `{RELATES_TO}` replaced by the request's MessageID.
        case envelope(String)
        /// No answer until the calling task is cancelled (a Receive held open, a hung connection).
        case hangUntilCancelled
        /// This reply after a pause (a service holding a Receive for its OperationTimeout).
        indirect case after(Duration, Reply)
    }

    /// One request as the service understood it.
    struct Request: Sendable {
        var operation: String
        var shellID: String?
        var commandID: String?
        var signal: String?
        var stdin: [UInt8]
        var end: Bool
        var envelope: [UInt8]
        var at: ContinuousClock.Instant
    }

    private let lock = NSLock()
    private var scripted: [String: [Reply]] = [:]
    private var recorded: [Request] = []
    private var shellsCreated = 0
    private var commandsStarted = 0

    /// Queues replies for the next requests of `operation` ("Create", "Command", "Send", "Receive", "Signal",
    /// "Delete"), in order; once they are used up, the operation succeeds again.
    func script(_ operation: String, _ replies: Reply...) {
        lock.withLock { scripted[operation, default: []] += replies }
    }

    var requests: [Request] { lock.withLock { recorded } }
    var operations: [String] { requests.map(\.operation) }

    func exchange(_ envelope: [UInt8]) async throws -> WSManHTTPResponse {
        // As the exchanger contract asks: a cancelled caller gets no exchange.
        try Task.checkCancellation()
        let root = try WSManXMLParser.parse(envelope)
        let header = root.child(XMLNamespace.soap, "Header")
        let body = root.child(XMLNamespace.soap, "Body")
        let action = header?.child(XMLNamespace.addressing, "Action")?.text ?? ""
        let operation = String(action.split(separator: "/").last ?? "")
        let messageID = header?.child(XMLNamespace.addressing, "MessageID")?.text ?? ""
        let shellID = header?.child(XMLNamespace.wsman, "SelectorSet")?.child(XMLNamespace.wsman, "Selector")?.text
        let request = Self.describe(operation, shellID: shellID, body: body, envelope: envelope)
        let reply: Reply = lock.withLock {
            recorded.append(request)
            if var queue = scripted[operation], !queue.isEmpty {
                let next = queue.removeFirst()
                scripted[operation] = queue
                return next
            }
            return .success
        }
        return try await answer(reply, to: request, messageID: messageID)
    }

    private func answer(_ reply: Reply, to request: Request, messageID: String) async throws -> WSManHTTPResponse {
        switch reply {
        case .success:
            return ok(successBody(for: request), action: request.operation + "Response", messageID: messageID)
        case .output(let chunks, let exitCode):
            return ok(
                WinRSReplies.receiveBody(chunks, commandID: request.commandID ?? "", exitCode: exitCode),
                action: "ReceiveResponse", messageID: messageID)
        case .fault(let code, let subcode, let message):
            return WSManHTTPResponse(
                status: 500,
                body: Array(
                    WinRSReplies.fault(code: code, subcode: subcode, message: message, relatesTo: messageID).utf8))
        case .http(let status, let body):
            return WSManHTTPResponse(status: status, body: body)
        case .envelope(let text):
            return WSManHTTPResponse(
                status: 200, body: Array(text.replacingOccurrences(of: "{RELATES_TO}", with: messageID).utf8))
        case .hangUntilCancelled:
            while true { try await Task.sleep(for: .seconds(60)) }
        case .after(let pause, let next):
            try await Task.sleep(for: pause)
            return try await answer(next, to: request, messageID: messageID)
        }
    }

    private func successBody(for request: Request) -> String {
        switch request.operation {
        case "Create":
            let id = lock.withLock {
                shellsCreated += 1
                return "SHELL-\(shellsCreated)"
            }
            return "<rsp:Shell><rsp:ShellId>\(id)</rsp:ShellId></rsp:Shell>"
        case "Command":
            let id = lock.withLock {
                commandsStarted += 1
                return "COMMAND-\(commandsStarted)"
            }
            return "<rsp:CommandResponse><rsp:CommandId>\(id)</rsp:CommandId></rsp:CommandResponse>"
        case "Receive":
            return WinRSReplies.receiveBody([], commandID: request.commandID ?? "", exitCode: 0)
        case "Send", "Signal":
            return "<rsp:\(request.operation)Response/>"
        default:
            return ""
        }
    }

    private func ok(_ body: String, action: String, messageID: String) -> WSManHTTPResponse {
        WSManHTTPResponse(
            status: 200, body: Array(WinRSReplies.envelope(action: action, relatesTo: messageID, body: body).utf8))
    }

    private static func describe(_ operation: String, shellID: String?, body: WSManXMLElement?, envelope: [UInt8])
        -> Request
    {
        let content = body?.children.first
        var commandID: String?
        var signal: String?
        var stdin: [UInt8] = []
        var end = false
        switch operation {
        case "Send":
            let stream = content?.child(XMLNamespace.shell, "Stream")
            commandID = stream?.attribute("CommandId")
            stdin = Array(Data(base64Encoded: stream?.text ?? "") ?? Data())
            end = stream?.attribute("End") == "true"
        case "Receive":
            commandID = content?.child(XMLNamespace.shell, "DesiredStream")?.attribute("CommandId")
        case "Signal":
            commandID = content?.attribute("CommandId")
            signal = content?.child(XMLNamespace.shell, "Code")?.text.split(separator: "/").last.map(String.init)
        default:
            break
        }
        return Request(
            operation: operation, shellID: shellID, commandID: commandID, signal: signal, stdin: stdin, end: end,
            envelope: envelope, at: .now)
    }
}

/// Answers as Windows writes them (prefixes and layout from pypsrp's recordings).
enum WinRSReplies {
    static func envelope(action: String, relatesTo: String, body: String) -> String {
        let namespace =
            action.hasPrefix("Create") || action.hasPrefix("Delete")
            ? "http://schemas.xmlsoap.org/ws/2004/09/transfer/"
            : "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/"
        return
            "<s:Envelope xml:lang=\"en-US\" xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
            + "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:x=\"http://schemas.xmlsoap.org/ws/2004/09/transfer\" "
            + "xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" xmlns:rsp=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell\">"
            + "<s:Header><a:Action>\(namespace)\(action)</a:Action><a:MessageID>uuid:7790BEEF-5704-4558-AB8D-D44833CF5805</a:MessageID>"
            + "<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To><a:RelatesTo>\(relatesTo)</a:RelatesTo>"
            + "</s:Header><s:Body>\(body)</s:Body></s:Envelope>"
    }

    static func receiveBody(_ chunks: [WinRSOutput], commandID: String, exitCode: Int32?) -> String {
        var body = "<rsp:ReceiveResponse>"
        for chunk in chunks {
            body +=
                "<rsp:Stream Name=\"\(chunk.stream.rawValue)\" CommandId=\"\(commandID)\">"
                + Data(chunk.bytes).base64EncodedString() + "</rsp:Stream>"
        }
        if let exitCode {
            body +=
                "<rsp:Stream Name=\"stdout\" CommandId=\"\(commandID)\" End=\"true\"></rsp:Stream>"
                + "<rsp:Stream Name=\"stderr\" CommandId=\"\(commandID)\" End=\"true\"></rsp:Stream>"
                + "<rsp:CommandState CommandId=\"\(commandID)\" "
                + "State=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done\">"
                + "<rsp:ExitCode>\(exitCode)</rsp:ExitCode></rsp:CommandState>"
        } else {
            body +=
                "<rsp:CommandState CommandId=\"\(commandID)\" "
                + "State=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running\"></rsp:CommandState>"
        }
        return body + "</rsp:ReceiveResponse>"
    }

    static func fault(code: UInt32, subcode: String, message: String, relatesTo: String) -> String {
        "<s:Envelope xml:lang=\"en-US\" xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
            + "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\">"
            + "<s:Header><a:Action>http://schemas.dmtf.org/wbem/wsman/1/wsman/fault</a:Action>"
            + "<a:MessageID>uuid:0D4B0250-D011-45CB-B33F-612745F6BEC5</a:MessageID><a:RelatesTo>\(relatesTo)</a:RelatesTo></s:Header>"
            + "<s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:\(subcode)</s:Value></s:Subcode></s:Code>"
            + "<s:Reason><s:Text xml:lang=\"en-US\">\(message) </s:Text></s:Reason><s:Detail>"
            + "<f:WSManFault xmlns:f=\"http://schemas.microsoft.com/wbem/wsman/1/wsmanfault\" Code=\"\(code)\" Machine=\"win1\">"
            + "<f:Message>\(message) </f:Message></f:WSManFault></s:Detail></s:Fault></s:Body></s:Envelope>"
    }

    static let timedOutFault = FakeWinRSService.Reply.fault(
        code: WinRMFault.Code.operationTimedOut, subcode: "TimedOut",
        message:
            "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.")
}
