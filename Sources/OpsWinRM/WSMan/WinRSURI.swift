/// The URIs of the WinRS operations (MS-WSMV 3.1.4.1 and 3.1.4.11–3.1.4.14).
enum WinRSURI {
    /// The resource of the text-based command shell (`cmd.exe`-style WinRS shell).
    static let cmdShellResource = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd"
    /// Where answers go: back on the same HTTP connection.
    static let anonymousReplyTo = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
    /// The `CommandState` of a finished command.
    static let commandStateDone = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done"
}

/// One WinRS operation: its request action and the action its answer carries.
enum WinRSOperation: String, Sendable {
    case create = "Create"
    case command = "Command"
    case send = "Send"
    case receive = "Receive"
    case signal = "Signal"
    case delete = "Delete"

    var action: String {
        switch self {
        case .create, .delete: return "http://schemas.xmlsoap.org/ws/2004/09/transfer/\(rawValue)"
        case .command, .send, .receive, .signal:
            return "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/\(rawValue)"
        }
    }

    var responseAction: String { action + "Response" }
}

/// A signal for a running command (MS-WSMV 3.1.4.12).
public enum WinRSSignal: String, Sendable, CaseIterable {
    /// Ends the command (and frees it on the service); also how a finished command is released.
    case terminate = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate"
    /// Ctrl+C, as a console would send it.
    case ctrlC = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/ctrl_c"
    /// Ctrl+Break.
    case ctrlBreak = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/ctrl_break"
}
