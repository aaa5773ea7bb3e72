import Foundation
import OpsAWS

/// What `/aws` shows for an environment.
struct AWSEnvironmentStatus: Sendable, Equatable {
    enum State: String, Sendable { case connected, missing, failed }

    var environment: String
    var partition: String
    var state: State
    var account: String?
    var arn: String?
    /// Where the credentials come from: entered for this session, the stored credential, the server's chain.
    var source: String
    /// The access key id with all but its last four characters hidden (never the secret).
    var maskedKeyID: String?
    /// Why not connected: AWS's error code and message, or which sources were tried.
    var message: String?
    var checkedAt: Date
    var sessionKeys: Bool
}

/// Statuses of the stored credential and the chain, per environment, for five minutes (so a page load does not
/// call STS each time); "refresh" drops them.
actor AWSStatusCache {
    private var entries: [String: AWSEnvironmentStatus] = [:]

    func get(_ key: String) -> AWSEnvironmentStatus? {
        guard let entry = entries[key], Date().timeIntervalSince(entry.checkedAt) < 300 else { return nil }
        return entry
    }

    func put(_ key: String, _ status: AWSEnvironmentStatus) { entries[key] = status }

    func clear(prefix: String) { entries = entries.filter { !$0.key.hasPrefix(prefix) } }
}

extension AWSAccess {
    static func mask(_ keyID: String) -> String {
        keyID.count > 8 ? String(keyID.prefix(4)) + "…" + String(keyID.suffix(4)) : "…"
    }

    /// The environment's status: the session's keys as checked when entered, else a (cached) GetCallerIdentity
    /// with the stored credential or the chain, at most `timeout` long.
    func status(_ environment: AWSEnvironment, refresh: Bool = false) async throws -> AWSEnvironmentStatus {
        if let keys = try await sessionKeys().environments[environment.name] {
            return AWSEnvironmentStatus(
                environment: environment.name, partition: environment.partition, state: .connected,
                account: keys.account, arn: keys.arn, source: "keys entered for this session",
                maskedKeyID: Self.mask(keys.accessKeyID), message: nil, checkedAt: keys.checkedAt, sessionKeys: true)
        }
        let (provider, id) = try await base(environment)
        let key = "\(environment.name)|\(id)"
        if refresh {
            await gateway.statuses.clear(prefix: "\(environment.name)|")
            await gateway.roles.clear()
            await gateway.chains[environment.name]?.invalidate()
        } else if let cached = await gateway.statuses.get(key) {
            return cached
        }
        let source = id == "chain" ? "server credential chain" : "stored aws_keys credential"
        var status = AWSEnvironmentStatus(
            environment: environment.name, partition: environment.partition, state: .missing, source: source,
            checkedAt: Date(), sessionKeys: false)
        do {
            let (identity, detail) = try await gateway.identity(environment, provider)
            status.state = .connected
            status.account = identity.account
            status.arn = identity.arn
            status.source = id == "chain" ? "server credential chain (\(detail))" : source
            if let keyID = try? await provider.credentials().credentials.accessKeyID {
                status.maskedKeyID = Self.mask(keyID)
            }
        } catch let error as AWSError {
            if case .noCredentials = error { status.state = .missing } else { status.state = .failed }
            status.message = error.description
        }
        await gateway.statuses.put(key, status)
        return status
    }
}
