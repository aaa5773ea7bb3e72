import Foundation
import OpsCore

extension ServerConfig {
    /// `--key-dir` (else `PCMOPS_KEY_DIR`): an existing directory, as its real path; nil when neither is given.
    public static func keyDirectory(flag: String?, environment: [String: String]) throws(ConfigError) -> String? {
        guard let given = flag ?? environment[environmentName(for: "key-dir")].flatMap({ $0.isEmpty ? nil : $0 })
        else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: given, isDirectory: &isDirectory), isDirectory.boolValue,
            let real = FileSystemPath.real(given)
        else {
            throw ConfigError(field: "key-dir", message: "\(given) is not a directory")
        }
        return real
    }
}
