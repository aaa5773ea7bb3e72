import NIOConcurrencyHelpers
import NIOSSL

/// TLS client contexts, one per verification setting, made once: loading the system trust store or a
/// CA bundle for every connection of a 200-target run would cost more than the handshakes.
public final class WinRMTLSContexts: Sendable {
    public static let shared = WinRMTLSContexts()

    private let contexts = NIOLockedValueBox<[WinRMEndpoint.TLSVerification: NIOSSLContext]>([:])

    public init() {}

    /// The context for `verification`; a CA bundle that cannot be read or holds no certificate is an error
    /// naming the file.
    public func context(for verification: WinRMEndpoint.TLSVerification) throws -> NIOSSLContext {
        if let existing = contexts.withLockedValue({ $0[verification] }) { return existing }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        switch verification {
        case .system:
            configuration.certificateVerification = .fullVerification
        case .caBundle(let path):
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(path)
            } catch {
                throw WinRMTLSError.unreadableBundle(path: path, reason: String(describing: error))
            }
            guard !certificates.isEmpty else {
                throw WinRMTLSError.unreadableBundle(path: path, reason: "no certificate in it")
            }
            configuration.certificateVerification = .fullVerification
            configuration.trustRoots = .certificates(certificates)
        case .none:
            configuration.certificateVerification = .none
        }
        let context = try NIOSSLContext(configuration: configuration)
        contexts.withLockedValue { $0[verification] = context }
        return context
    }
}

/// Why TLS could not be set up for a target.
public enum WinRMTLSError: Error, Equatable, CustomStringConvertible {
    case unreadableBundle(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableBundle(let path, let reason): "cannot use the CA bundle \(path): \(reason)"
        }
    }
}
