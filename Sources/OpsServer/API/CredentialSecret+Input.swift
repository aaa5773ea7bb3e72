import Vapor

extension CredentialSecret {
    /// Builds the secret for a kind, naming the missing field.
    static func make(
        kind: String, privateKey: String?, passphrase: String?, password: String?, awsEnvironment: String? = nil,
        sessionToken: String? = nil
    ) throws -> CredentialSecret {
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
        case "aws_keys":
            guard let environment = awsEnvironment?.nonEmpty, ["com", "gov"].contains(environment) else {
                throw InventoryServiceError.invalid(
                    field: "aws_environment", message: "com or gov, required for aws_keys")
            }
            guard let secret = password?.nonEmpty else {
                throw InventoryServiceError.invalid(
                    field: "password", message: "the secret access key, required for kind aws_keys")
            }
            return .awsKeys(environment: environment, secretAccessKey: secret, sessionToken: sessionToken?.nonEmpty)
        case "winrm":
            guard let password = password?.nonEmpty else {
                throw InventoryServiceError.invalid(
                    field: "password", message: "the Windows account's password, required for kind winrm")
            }
            return .winrmPassword(password)
        default:
            throw InventoryServiceError.invalid(
                field: "kind", message: "'\(kind)' is not one of \(CredentialService.kinds.joined(separator: ", "))")
        }
    }
}
