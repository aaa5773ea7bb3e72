import NIOConcurrencyHelpers
import NIOCore

/// Open front door connections, per client address and in all, for the per-client cap and for
/// closing them at shutdown.
final class ClientConnectionCounter: Sendable {
    private struct State {
        var perAddress = [String: Int]()
        var channels = [ObjectIdentifier: any Channel]()
    }

    private let state = NIOLockedValueBox(State())
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts `channel` from `address` unless that address is at the limit; `exempt` addresses
    /// (trusted proxies, which carry many clients) are counted but never refused.
    func admit(_ channel: any Channel, from address: String, exempt: Bool) -> Bool {
        state.withLockedValue { state in
            let open = state.perAddress[address, default: 0]
            guard exempt || open < limit else { return false }
            state.perAddress[address] = open + 1
            state.channels[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    func release(_ channel: any Channel, from address: String) {
        state.withLockedValue { state in
            guard state.channels.removeValue(forKey: ObjectIdentifier(channel)) != nil else { return }
            let open = state.perAddress[address, default: 1] - 1
            state.perAddress[address] = open > 0 ? open : nil
        }
    }

    /// Connections open from `address`.
    func count(from address: String) -> Int {
        state.withLockedValue { $0.perAddress[address, default: 0] }
    }

    /// Every open connection, to close at shutdown.
    var openChannels: [any Channel] {
        state.withLockedValue { Array($0.channels.values) }
    }
}
