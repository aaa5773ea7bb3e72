import Foundation

/// A web origin: scheme, host and port (RFC 6454 §3.2). Two pages share an origin only when all
/// three are equal, so a page on another port of the same host is another site.
///
/// Used where a browser request rides on the session cookie without a CSRF token: the WebSocket
/// handshake, which browsers send cross-site with cookies (cross-site WebSocket hijacking).
struct WebOrigin: Equatable, Sendable, CustomStringConvertible {
    var scheme: String
    var host: String
    var port: Int

    /// Parses an `Origin` header: a serialized origin, `scheme "://" host [ ":" port ]` (RFC 6454 §6.2).
    /// Nil for `null` (sandboxed frames, file pages), for anything that is not http(s), and for
    /// anything more than an origin (path, query, user info), which no browser sends.
    init?(header: String) {
        guard let components = URLComponents(string: header), components.path.isEmpty else { return nil }
        self.init(components)
    }

    /// The origin of the URL people use (`--public-url`), whatever its path.
    init?(url: URL) {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return nil }
        self.init(components)
    }

    /// The origin of a request that reached this server directly: its `Host` header (`host[:port]`,
    /// RFC 9110 §7.2) with the scheme the server speaks.
    init?(hostHeader: String, scheme: String) {
        guard !hostHeader.contains(where: { "/?#@\\ ".contains($0) }),
            let components = URLComponents(string: "\(scheme)://\(hostHeader)"), components.path.isEmpty
        else { return nil }
        self.init(components)
    }

    private init?(_ components: URLComponents) {
        guard let scheme = components.scheme?.lowercased(), let port = Self.defaultPorts[scheme],
            let host = components.host?.lowercased(), !host.isEmpty,
            components.user == nil, components.password == nil, components.query == nil,
            components.fragment == nil
        else { return nil }
        self.scheme = scheme
        self.host = host
        // An omitted port is the scheme's default: `http://h` and `http://h:80` are one origin.
        self.port = components.port ?? port
    }

    /// The schemes an accepted origin may have, with their default ports.
    static let defaultPorts = ["http": 80, "https": 443]

    /// This server's origin as browsers see it: the public URL when one is configured (behind a
    /// TLS-terminating proxy the `Host` header and scheme the server sees are not what the
    /// browser used), otherwise the request's `Host` over plain http, the only scheme it serves.
    static func expected(publicURL: URL?, hostHeader: String?) -> WebOrigin? {
        if let publicURL { return WebOrigin(url: publicURL) }
        return hostHeader.flatMap { WebOrigin(hostHeader: $0, scheme: "http") }
    }

    var description: String { "\(scheme)://\(host):\(port)" }
}
