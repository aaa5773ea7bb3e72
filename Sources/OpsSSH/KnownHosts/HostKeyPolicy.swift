/// What to do with a host whose key is not in known_hosts (the `StrictHostKeyChecking` choice of ssh_config(5)).
/// There is deliberately no "accept anything": a changed or revoked key is refused under every policy.
public enum HostKeyPolicy: String, Sendable, Codable, CaseIterable {
    /// Refuse hosts without a trusted key (`StrictHostKeyChecking yes`).
    case strict
    /// Trust and record the key of a host seen for the first time (`StrictHostKeyChecking accept-new`); a key
    /// that differs from a recorded one is still refused.
    case acceptNew = "accept-new"
}
