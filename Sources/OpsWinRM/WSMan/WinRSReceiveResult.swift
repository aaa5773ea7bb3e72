import Foundation
import OpsCore

/// One chunk of a command's output, as one `rsp:Stream` of a Receive carried it (bytes as sent: the code page
/// decides their encoding, so they are never decoded here).
public struct WinRSOutput: Sendable, Equatable {
    public var stream: ExecStream
    public var bytes: [UInt8]

    public init(stream: ExecStream, bytes: [UInt8]) {
        self.stream = stream
        self.bytes = bytes
    }
}

/// What one Receive brought (MS-WSMV 3.1.4.14 `rsp:ReceiveResponse`).
public struct WinRSReceiveResult: Sendable, Equatable {
    /// Output chunks in the order the service sent them; empty chunks (stream ends) left out.
    public var output: [WinRSOutput]
    /// The exit code, once the command is done (`CommandState/Done`).
    public var exitCode: Int32?
    /// The service held the Receive for `OperationTimeout` without output (`w:TimedOut`): poll again.
    public var operationTimedOut: Bool

    public init(output: [WinRSOutput], exitCode: Int32?, operationTimedOut: Bool = false) {
        self.output = output
        self.exitCode = exitCode
        self.operationTimedOut = operationTimedOut
    }

    /// The command has finished; no more output will come.
    public var isDone: Bool { exitCode != nil }

    /// Reads a `rsp:ReceiveResponse` for `commandID`: streams base64-decoded, the command state checked.
    static func parse(_ body: WSManXMLElement, commandID: String) throws(WSManError) -> WinRSReceiveResult {
        func failure(_ reason: String) -> WSManError { .malformedResponse(operation: "Receive", reason: reason) }
        guard let response = body.child(XMLNamespace.shell, "ReceiveResponse") else {
            throw failure("it has no ReceiveResponse")
        }
        var output: [WinRSOutput] = []
        for stream in response.children(XMLNamespace.shell, "Stream") {
            try requireCommand(stream, commandID, failure)
            let stream_ = stream.attribute("Name")
            guard let name = stream_, let kind = ExecStream(rawValue: name) else {
                throw failure("it carries a stream named \(stream_.map { String($0.prefix(40)) } ?? "(none)")")
            }
            let encoded = WSManText.trimmed(stream.text)
            guard let bytes = Data(base64Encoded: encoded) else { throw failure("its \(name) data is not base64") }
            if !bytes.isEmpty { output.append(WinRSOutput(stream: kind, bytes: Array(bytes))) }
        }
        var exitCode: Int32?
        if let state = response.child(XMLNamespace.shell, "CommandState") {
            try requireCommand(state, commandID, failure)
            if WSManText.trimmed(state.attribute("State") ?? "") == WinRSURI.commandStateDone {
                let text = state.child(XMLNamespace.shell, "ExitCode").map { WSManText.trimmed($0.text) }
                guard let text, let value = Int64(text) else { throw failure("the finished command has no exit code") }
                // Windows reports NTSTATUS-style codes (0xC000013A) as unsigned: keep the 32-bit pattern.
                exitCode = Int32(truncatingIfNeeded: value)
            }
        }
        return WinRSReceiveResult(output: output, exitCode: exitCode)
    }

    private static func requireCommand(
        _ element: WSManXMLElement, _ commandID: String, _ failure: (String) -> WSManError
    ) throws(WSManError) {
        guard let id = element.attribute("CommandId") else { return }
        guard WSManText.trimmed(id).lowercased() == commandID.lowercased() else {
            throw failure("it carries data of command \(id.prefix(64)) instead of \(commandID)")
        }
    }
}
