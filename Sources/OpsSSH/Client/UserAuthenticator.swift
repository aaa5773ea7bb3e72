import NIOConcurrencyHelpers
import NIOCore
import NIOSSH

/// Offers the endpoint's one credential once (RFC 4252): a key when the server accepts public keys,
/// a password when it accepts passwords. A second call means the offer was refused.
final class UserAuthenticator: NIOSSHClientUserAuthenticationDelegate, Sendable {
    let endpoint: SSHEndpoint
    let progress: ConnectProgress
    private let offered = NIOLockedValueBox(false)

    init(endpoint: SSHEndpoint, progress: ConnectProgress) {
        self.endpoint = endpoint
        self.progress = progress
    }

    func nextAuthenticationType(
        availableMethods: NIOSSHAvailableUserAuthenticationMethods,
        nextChallengePromise: EventLoopPromise<NIOSSHUserAuthenticationOffer?>
    ) {
        progress.reached(.authentication)
        let alreadyOffered = offered.withLockedValue { value -> Bool in
            defer { value = true }
            return value
        }
        let failure = { (message: String) in
            nextChallengePromise.fail(
                SSHConnectionError(stage: .authentication, target: self.endpoint.name, message: message))
        }
        guard !alreadyOffered else {
            switch endpoint.authentication {
            case .privateKey: failure("the server refused the key for user '\(endpoint.username)'")
            case .password: failure("the server refused the password for user '\(endpoint.username)'")
            }
            return
        }
        switch endpoint.authentication {
        case .privateKey(let key):
            guard availableMethods.contains(.publicKey) else {
                return failure("the server does not accept public keys")
            }
            nextChallengePromise.succeed(
                NIOSSHUserAuthenticationOffer(
                    username: endpoint.username, serviceName: "ssh-connection",
                    offer: .privateKey(.init(privateKey: key.nioKey))))
        case .password(let password):
            guard availableMethods.contains(.password) else {
                return failure("the server does not accept passwords")
            }
            nextChallengePromise.succeed(
                NIOSSHUserAuthenticationOffer(
                    username: endpoint.username, serviceName: "ssh-connection",
                    offer: .password(.init(password: password))))
        }
    }
}
