import Foundation
import OpsCore

/// A job row's JSON columns as values, and its secret values sealed and opened through the vault.
extension Job {
    var parameters: [String: String] {
        get { Self.decode([String: String].self, parametersJSON) ?? [:] }
        set { parametersJSON = Self.encode(newValue) }
    }

    var targets: [String] {
        get { Self.decode([String].self, targetsJSON) ?? [] }
        set { targetsJSON = Self.encode(newValue) }
    }

    var groups: [String] {
        get { Self.decode([String].self, groupsJSON) ?? [] }
        set { groupsJSON = Self.encode(newValue) }
    }

    var overridable: Set<JobOverride> {
        get { Set((Self.decode([String].self, overridableJSON) ?? []).compactMap(JobOverride.init(rawValue:))) }
        set { overridableJSON = Self.encode(newValue.sorted().map(\.rawValue)) }
    }

    /// The context secret values are sealed under: a ciphertext copied to another job fails to open.
    var secretContext: String { "job:\(id?.uuidString ?? "")" }

    /// The stored secret values; empty when there are none.
    func secrets(_ vault: Vault) throws(VaultError) -> [String: String] {
        guard let keyID = secretKeyID, let nonce = secretNonce, let ciphertext = secretCiphertext else { return [:] }
        let text = try vault.openString(
            SealedSecret(keyID: keyID, nonce: nonce, ciphertext: ciphertext), context: secretContext)
        guard let values = Self.decode([String: String].self, text) else { throw .tampered }
        return values
    }

    /// Seals `values` (none: clears the columns). The job's id must be set first.
    func setSecrets(_ values: [String: String], _ vault: Vault) throws(VaultError) {
        guard !values.isEmpty else {
            secretKeyID = nil
            secretNonce = nil
            secretCiphertext = nil
            return
        }
        let sealed = try vault.seal(Self.encode(values), context: secretContext)
        secretKeyID = sealed.keyID
        secretNonce = sealed.nonce
        secretCiphertext = sealed.ciphertext
    }

    /// The job as a definition, secret values included (when they open).
    func definition(secrets: [String: String]) -> JobDefinition {
        JobDefinition(
            tool: tool, action: action, workflow: workflow,
            parameters: parameters.merging(secrets) { _, secret in secret },
            targets: targets, groups: groups, selector: selector, maxConcurrency: maxConcurrency, maxErrors: maxErrors)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }

    private static func encode(_ value: some Encodable) -> String {
        (try? String(decoding: JSONEncoder.sorted.encode(value), as: UTF8.self)) ?? "null"
    }
}
