import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Which client each of the front door's connections to the server carries: the server sees the
/// front door's loopback address, so it asks here for the real one, keyed by the loopback port.
final class FrontDoorPeers: Sendable {
    private let clients = NIOLockedValueBox([Int: String]())

    /// Called once the connection to the server is up, before any byte is sent on it.
    func register(backendPort: Int, client: String) {
        clients.withLockedValue { $0[backendPort] = client }
    }

    func remove(backendPort: Int) {
        clients.withLockedValue { _ = $0.removeValue(forKey: backendPort) }
    }

    /// The client behind `peer`, or nil when `peer` is not one of the front door's connections.
    func client(ofBackendPeer peer: SocketAddress?) -> String? {
        guard let peer, let port = peer.port, let ip = peer.ipAddress, IPRange.loopback.contains(ip) else {
            return nil
        }
        return clients.withLockedValue { $0[port] }
    }
}

extension Application {
    private struct FrontDoorPeersKey: StorageKey {
        typealias Value = FrontDoorPeers
    }

    /// Set while a ``FrontDoor`` serves this application; nil in tests that call the responder directly.
    var frontDoorPeers: FrontDoorPeers? {
        get { storage[FrontDoorPeersKey.self] }
        set { storage[FrontDoorPeersKey.self] = newValue }
    }
}
