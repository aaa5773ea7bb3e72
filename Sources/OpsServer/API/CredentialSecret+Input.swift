import Vapor

extension CredentialSecret {
    /// Builds the secret for a kind, naming the missing field.
    static func make(kind: String, privateKey: String?, passphrase: String?, password: String?) throws
        -> CredentialSecret
    {
        switch kind {
        case "ssh_key":
            guard let key = privateKey?.nonEmpty else {
                throw InventoryServiceError.invalid(field: "private_key", message: "required for kind ssh_key")
            }
            return .sshKey(privateKey: key, passphrase: passphrase?.nonEmpty)
        case "ssh_password":
            guard let password = password?.nonEmpty else {
                throw InventoryServiceError.invalid(field: "password", message: "required for kind ssh_password")
            }
            return .sshPassword(password)
        default:
            throw InventoryServiceError.invalid(
                field: "kind", message: "'\(kind)' is not one of \(CredentialService.kinds.joined(separator: ", "))")
        }
    }
}
