import Vapor

/// The client's address as recorded in the audit log, sessions and the login throttle.
///
/// `X-Forwarded-For` is honoured only when the peer is a configured trusted proxy (`--trusted-proxies`):
/// then the list is read from the right (each proxy appends the address it saw), skipping trusted
/// proxies, and the first address that is not one is the client. Anything a client wrote further
/// left is never read, so it cannot choose its own address.
enum ClientAddress {
    static func resolve(peer: String?, forwardedFor: [String], trustedProxies: [IPRange]) -> String? {
        guard var client = peer else { return nil }
        func trusted(_ address: String) -> Bool { trustedProxies.contains { $0.contains(address) } }
        guard trusted(client) else { return client }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            // A hop that is not an address was written by a client, not by a trusted proxy: stop there.
            guard IPRange.bytes(of: hop) != nil else { return client }
            client = hop
            if !trusted(hop) { return hop }
        }
        return client
    }
}

extension Request {
    /// The client's address (see ``ClientAddress``), or nil when unknown.
    var sourceAddress: String? {
        ClientAddress.resolve(
            peer: peerAddress, forwardedFor: headers[.xForwardedFor],
            trustedProxies: services.config.connections.trustedProxies)
    }

    /// The address of the connection's other end: the front door's client when the request came
    /// through it (``FrontDoor``), otherwise the socket peer.
    var peerAddress: String? {
        if let peer = application.frontDoorPeers?.client(ofBackendPeer: remoteAddress) { return peer }
        return remoteAddress?.ipAddress
    }
}
