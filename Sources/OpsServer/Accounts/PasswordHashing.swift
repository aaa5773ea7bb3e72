import NIOPosix
import OpsCore
import Vapor

/// bcrypt hashing off the event loop: a hash takes ~250 ms at cost 12 and must not stall other requests.
public struct PasswordHashing: Sendable {
    public let cost: Int

    public init(cost: Int) {
        self.cost = cost
    }

    /// A bcrypt hash of `password`.
    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    /// True when `password` matches `hash`; false for a malformed hash.
    public func verify(_ password: String, against hash: String) async -> Bool {
        (try? await NIOThreadPool.singleton.runIfActive { try Bcrypt.verify(password, created: hash) }) ?? false
    }

    /// Spends the time a real check would, so an unknown username answers as slowly as a wrong password.
    public func verifyAgainstDummy(_ password: String) async {
        _ = await verify(password, against: Self.dummyHash)
    }

    /// A real hash of a throwaway value, made once, at the production cost.
    private static let dummyHash: String = (try? Bcrypt.hash(RandomToken.urlSafe(), cost: 12)) ?? ""
}
