import Foundation

/// Where one request goes and how it is signed.
public struct AWSEndpoint: Sendable, Equatable {
    /// `https` (or `http`, for an override such as a local emulator).
    public var scheme: String
    /// Host name or address, without port.
    public var host: String
    /// Port when not the scheme's default.
    public var port: Int?
    /// Base path, `/` unless an override named one.
    public var path: String
    /// The region in the credential scope.
    public var signingRegion: String
    /// The service in the credential scope.
    public var signingName: String

    /// The `Host` header as sent and signed: `host` or `host:port`.
    public var hostHeader: String { port.map { "\(host):\($0)" } ?? host }

    /// The whole URL.
    public var url: String { "\(scheme)://\(hostHeader)\(path)" }
}

/// Resolves a service's endpoint in an environment and region, honouring the endpoint overrides AWS SDKs
/// define: `AWS_ENDPOINT_URL_<SERVICE>` first, then `AWS_ENDPOINT_URL`, both ignored when
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`. The variables are passed in; nothing here reads the process.
public struct AWSEndpointResolver: Sendable {
    /// COM or GOV.
    public var environment: AWSEnvironment
    /// Environment variables, as given.
    public var variables: [String: String]

    /// A resolver for one environment.
    public init(environment: AWSEnvironment, variables: [String: String] = [:]) {
        self.environment = environment
        self.variables = variables
    }

    /// The endpoint for `service` in `region`. A region outside the environment's partition is refused, so a
    /// GovCloud call can never be signed for a commercial region or the reverse.
    public func endpoint(for service: AWSService, region: String) throws(AWSError) -> AWSEndpoint {
        guard environment.contains(region: region) else {
            throw .endpoint(reason: "region '\(region)' is not in environment \(environment)")
        }
        if let override = overrideURL(for: service) {
            return try Self.parse(override.url, variable: override.variable, region: region, service: service)
        }
        if let global = service.globalEndpoint(in: environment) {
            return AWSEndpoint(
                scheme: "https", host: global.host, port: nil, path: "/", signingRegion: global.signingRegion,
                signingName: service.signingName)
        }
        return AWSEndpoint(
            scheme: "https", host: "\(service.rawValue).\(region).\(environment.dnsSuffix)", port: nil, path: "/",
            signingRegion: region, signingName: service.signingName)
    }

    private func overrideURL(for service: AWSService) -> (variable: String, url: String)? {
        if variables["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true" { return nil }
        for name in ["AWS_ENDPOINT_URL_\(service.endpointVariableSuffix)", "AWS_ENDPOINT_URL"] {
            if let value = variables[name]?.trimmingWhitespace(), !value.isEmpty { return (name, value) }
        }
        return nil
    }

    private static func parse(
        _ text: String, variable: String, region: String, service: AWSService
    ) throws(AWSError) -> AWSEndpoint {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty,
            components.query == nil, components.user == nil
        else {
            throw .endpoint(reason: "\(variable)='\(text)' is not an http(s) URL with a host")
        }
        let defaultPort = scheme == "https" ? 443 : 80
        let port = components.port.flatMap { $0 == defaultPort ? nil : $0 }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        return AWSEndpoint(
            scheme: scheme, host: host, port: port, path: path, signingRegion: region,
            signingName: service.signingName)
    }
}
