import Foundation

/// How the client proves who it is to a WinRM listener (issue 14, "Authentication").
public enum WinRMAuthentication: String, Sendable, Codable, CaseIterable {
    /// NTLMv2 over the raw NTLM mechanism (`Authorization: NTLM …`).
    case ntlm
    /// NTLMv2 wrapped in SPNEGO (`Authorization: Negotiate …`), as pypsrp and Windows itself send it.
    case negotiate
    /// `Authorization: Basic …`: only over HTTPS, since the password would cross the wire in clear.
    case basic
}

/// Where and how to reach one WinRM listener: everything the client needs except the credential.
public struct WinRMEndpoint: Sendable, Equatable {
    public enum Scheme: String, Sendable, Codable { case http, https }

    /// Whether the server certificate is checked (HTTPS only).
    public enum TLSVerification: Sendable, Hashable {
        /// Against the system trust store.
        case system
        /// Against the PEM certificates of this bundle (a private CA).
        case caBundle(path: String)
        /// Not checked at all: an explicit per-target choice, flagged in the UI.
        case none
    }

    public var host: String
    public var port: Int
    public var scheme: Scheme
    public var authentication: WinRMAuthentication
    public var tlsVerification: TLSVerification
    /// The WS-Management path (`/wsman` on every Windows listener).
    public var path: String

    public init(
        host: String, port: Int? = nil, scheme: Scheme? = nil, authentication: WinRMAuthentication? = nil,
        tlsVerification: TLSVerification = .system, path: String = "/wsman"
    ) {
        let scheme = scheme ?? (port == 5986 ? .https : .http)
        self.host = host
        self.port = port ?? (scheme == .https ? 5986 : 5985)
        self.scheme = scheme
        // 5985 → NTLM with message encryption (the Windows default); 5986 → NTLM with channel binding.
        self.authentication = authentication ?? .ntlm
        self.tlsVerification = tlsVerification
        self.path = path
    }

    /// `http://host:5985/wsman`; IPv6 literals in brackets.
    public var url: String {
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme.rawValue)://\(hostPart):\(port)\(path)"
    }

    /// Why this endpoint must not be used, or nil: Basic sends the password in clear unless TLS hides it.
    public var refusal: String? {
        if authentication == .basic && scheme == .http {
            return
                "Basic authentication over plain HTTP would send the password in clear (and Windows refuses it unless "
                + "AllowUnencrypted is set): use HTTPS (port 5986) for Basic, or NTLM, which encrypts every message over HTTP"
        }
        return nil
    }
}
