/// A SOAP fault from a WinRM service, reduced to what a user and the retry logic need (SOAP 1.2 §5.4 and
/// MS-WSMV 2.2.4.43 `WSManFault`). Windows answers most failures this way, usually with HTTP 500.
public struct WinRMFault: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `WSManFault` `Code`: a Windows error number such as 2150858793 (operation timed out).
    public var code: UInt32?
    /// The local name of the SOAP subcode (`TimedOut`, `InvalidSelectors`, `QuotaLimit`, …), prefix dropped.
    public var subcode: String?
    /// The local name of the SOAP code: `Sender` (the request was wrong) or `Receiver` (the service failed).
    public var soapCode: String?
    /// The `WSManFault` message (including a provider's fault text), or else the SOAP reason, whitespace
    /// collapsed.
    public var message: String
    /// The machine that raised the fault, when the service names it.
    public var machine: String?
    /// The plug-in that failed (`Shell cmd plugin`), when the fault came from one.
    public var provider: String?

    public init(
        code: UInt32?, subcode: String?, soapCode: String? = nil, message: String, machine: String? = nil,
        provider: String? = nil
    ) {
        self.code = code
        self.subcode = subcode
        self.soapCode = soapCode
        self.message = message
        self.machine = machine
        self.provider = provider
    }

    /// Well-known `WSManFault` codes (winerror.h `ERROR_WSMAN_*`).
    public enum Code {
        /// The Receive waited `OperationTimeout` without output: poll again (`w:TimedOut`).
        public static let operationTimedOut: UInt32 = 2_150_858_793
        /// The ShellId or CommandId in the selectors does not exist (the shell was deleted, reaped by
        /// IdleTimeout, or the command has finished): `ERROR_WSMAN_UNEXPECTED_SELECTORS`.
        public static let unknownShellOrCommand: UInt32 = 2_150_858_843
        /// `ERROR_WSMAN_QUOTA_MAX_COMMANDS_PER_SHELL_PPQ`: the shell ran as many commands as it may.
        public static let maxCommandsPerShell: UInt32 = 2_150_859_241
        /// Quota faults: the service says to retry later (winerror.h `ERROR_WSMAN_QUOTA_*`: MaxShellsPerUser,
        /// MaxConcurrentOperationsPerUser, MaxConcurrentUsers, plug-in quotas, …).
        public static let quotaFaults: Set<UInt32> = [
            2_150_858_815,  // QUOTA_LIMIT
            2_150_859_173,  // QUOTA_MAX_SHELLS
            2_150_859_174,  // QUOTA_MAX_OPERATIONS
            2_150_859_175,  // QUOTA_USER
            2_150_859_176,  // QUOTA_SYSTEM
            2_150_859_179,  // QUOTA_MAX_SHELLUSERS
            2_150_859_236,  // QUOTA_MAX_SHELLS_PPQ (MaxShellsPerUser)
            2_150_859_237,  // QUOTA_MAX_USERS_PPQ (MaxConcurrentUsers)
            2_150_859_238,  // QUOTA_MAX_PLUGINSHELLS_PPQ
            2_150_859_239,  // QUOTA_MAX_PLUGINOPERATIONS_PPQ
            2_150_859_240,  // QUOTA_MAX_OPERATIONS_USER_PPQ (MaxConcurrentOperationsPerUser)
            maxCommandsPerShell,
        ]
    }

    /// The Receive's `OperationTimeout` passed without output: not an error, the client polls again.
    public var isOperationTimeout: Bool {
        code == Code.operationTimedOut || (code == nil && subcode == "TimedOut")
    }

    /// The shell or command named in the request does not exist (any more).
    public var isUnknownShellOrCommand: Bool {
        code == Code.unknownShellOrCommand
    }

    /// A quota of the service was exceeded; the same request may succeed later (MS-WSMV 3.1.4.5.2.1).
    public var isRetryable: Bool {
        subcode == "QuotaLimit" || code.map(Code.quotaFaults.contains) == true
    }

    public var description: String {
        var text = "WinRM fault"
        if let code { text += " \(code)" }
        if let subcode { text += " (w:\(subcode))" }
        if let machine { text += " from \(machine)" }
        text += ": \(message)"
        if let provider { text += " [\(provider)]" }
        if isRetryable { text += " (a quota of the WinRM service; retrying later may succeed)" }
        return text
    }
}

extension WinRMFault {
    /// The longest message kept: fault texts are a few sentences; anything longer is cut, never dumped.
    static let maximumMessageLength = 2_000

    /// Reads a `s:Fault` element. Everything is optional in practice (proxies and older services send less),
    /// so missing parts stay nil and the message falls back to the SOAP reason, then to a plain sentence.
    init(faultElement fault: WSManXMLElement) {
        let code = fault.child(XMLNamespace.soap, "Code")
        let subcode = code?.child(XMLNamespace.soap, "Subcode")?.child(XMLNamespace.soap, "Value")
        let reason = fault.child(XMLNamespace.soap, "Reason")?.child(XMLNamespace.soap, "Text")
        let detail = fault.child(XMLNamespace.soap, "Detail")
        let wsmanFault = detail?.child(XMLNamespace.wsmanFault, "WSManFault")
        let messageElement = wsmanFault?.child(XMLNamespace.wsmanFault, "Message")
        let providerFault = messageElement?.firstDescendant(XMLNamespace.wsmanFault, "ProviderFault")
        let message = [messageElement?.allText, reason?.text]
            .compactMap { $0.map(Self.collapsingWhitespace) }
            .first { !$0.isEmpty }
        self.init(
            code: wsmanFault?.attribute("Code").flatMap { UInt32(WSManText.trimmed($0)) },
            subcode: subcode.map { Self.localName(of: $0.text) },
            soapCode: code?.child(XMLNamespace.soap, "Value").map { Self.localName(of: $0.text) },
            message: message.map { String($0.prefix(Self.maximumMessageLength)) } ?? "the fault carries no message",
            machine: wsmanFault?.attribute("Machine"),
            provider: providerFault?.attribute("provider"))
    }

    private static func localName(of qualifiedName: String) -> String {
        let trimmed = WSManText.trimmed(qualifiedName)
        return trimmed.split(separator: ":").last.map(String.init) ?? trimmed
    }

    private static func collapsingWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}

/// Small text helpers of the WS-Management layer (kept off `String` so they cannot clash with others).
enum WSManText {
    /// `text` without leading and trailing whitespace and newlines.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
