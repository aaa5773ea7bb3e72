/// Providers tried in order: the first that has credentials wins. A provider that is not configured
/// (`credentialsUnavailable`) passes to the next; any other error stops the chain, because a source the user
/// configured and got wrong must not be silently replaced by another identity.
public struct CredentialProviderChain: AWSCredentialProvider {
    /// The providers, in order.
    public let providers: [any AWSCredentialProvider]

    /// A chain over `providers`.
    public init(_ providers: [any AWSCredentialProvider]) {
        self.providers = providers
    }

    /// The first provider's credentials; `noCredentials` listing why each was passed over when none had any.
    public func credentials() async throws -> ProvidedCredentials {
        var tried: [String] = []
        for provider in providers {
            do {
                return try await provider.credentials()
            } catch AWSError.credentialsUnavailable(let source, let reason) {
                tried.append("\(source): \(reason)")
            }
        }
        throw AWSError.noCredentials(tried: tried)
    }
}
