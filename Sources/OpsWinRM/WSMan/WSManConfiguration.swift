/// The WS-Management settings every request of one session carries (MS-WSMV 2.2.4).
public struct WSManConfiguration: Sendable, Equatable {
    /// The listener's URL, sent as `wsa:To` (``WinRMEndpoint/url``).
    public var endpointURL: String
    /// The largest envelope the service accepts, sent as `wsman:MaxEnvelopeSize` and used to size Send chunks.
    /// 153,600 bytes is the Windows default (`MaxEnvelopeSizekb` 150); larger answers arrive in several Receives.
    public var maxEnvelopeSize: Int
    /// How long the service may hold a request before answering (`wsman:OperationTimeout`). A Receive that
    /// waits this long without output answers with the `w:TimedOut` fault and is issued again.
    public var operationTimeout: Duration
    /// The language of the service's messages and faults (`wsman:Locale`).
    public var locale: String
    /// The language for formatting data (`wsmv:DataLocale`).
    public var dataLocale: String

    public init(
        endpointURL: String, maxEnvelopeSize: Int = 153_600, operationTimeout: Duration = .seconds(20),
        locale: String = "en-US", dataLocale: String = "en-US"
    ) {
        self.endpointURL = endpointURL
        self.maxEnvelopeSize = maxEnvelopeSize
        self.operationTimeout = operationTimeout
        self.locale = locale
        self.dataLocale = dataLocale
    }
}

/// The shell a ``WinRSShell`` opens (MS-WSMV 3.1.4.1.1 `rsp:Shell`, options of 3.1.4.1.2).
public struct WinRSShellOptions: Sendable, Equatable {
    /// The console code page of the shell's processes (`WINRS_CODEPAGE`). 65001 (UTF-8) by default, so CJK
    /// and emoji survive; some hosts need their OEM code page (932 for Japanese). nil sends no code page, and
    /// the service uses the host's OEM code page.
    public var codepage: Int?
    /// Do not load the user's profile (`WINRS_NOPROFILE`): faster, and a profile script cannot interfere.
    public var noProfile: Bool
    /// Environment variables of the shell, in order.
    public var environment: [(name: String, value: String)]
    /// The shell's working directory, when not the user's profile directory.
    public var workingDirectory: String?
    /// After this long without requests the service deletes the shell on its own (`rsp:IdleTimeOut`), so a
    /// shell this client could not delete does not hold a per-user quota forever.
    public var idleTimeout: Duration?
    /// A name for the shell, shown by `Get-WSManInstance` on the host (`rsp:Name`).
    public var name: String?

    public init(
        codepage: Int? = 65001, noProfile: Bool = true, environment: [(name: String, value: String)] = [],
        workingDirectory: String? = nil, idleTimeout: Duration? = nil, name: String? = nil
    ) {
        self.codepage = codepage
        self.noProfile = noProfile
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.idleTimeout = idleTimeout
        self.name = name
    }

    public static func == (lhs: WinRSShellOptions, rhs: WinRSShellOptions) -> Bool {
        lhs.codepage == rhs.codepage && lhs.noProfile == rhs.noProfile
            && lhs.environment.elementsEqual(rhs.environment, by: { $0 == $1 })
            && lhs.workingDirectory == rhs.workingDirectory && lhs.idleTimeout == rhs.idleTimeout
            && lhs.name == rhs.name
    }
}

/// `xs:duration` as WS-Management writes it: `PT20S`, `PT0.500S`.
enum WSManDuration {
    static func format(_ duration: Duration) -> String {
        let milliseconds = max(
            0, duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        let seconds = milliseconds / 1000
        let fraction = milliseconds % 1000
        guard fraction != 0 else { return "PT\(seconds)S" }
        let digits = String(fraction)
        return "PT\(seconds).\(String(repeating: "0", count: 3 - digits.count))\(digits)S"
    }
}
