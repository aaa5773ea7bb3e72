import Foundation
import OpsCore

#if canImport(Glibc)
    import Glibc
#endif

/// The data directory: created with mode 0700 on first start; holds the SQLite file and the key.
enum DataDirectory {
    static func prepare(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ConfigError(field: "data-dir", message: "\(path) exists and is not a directory")
            }
            guard access(path, W_OK | X_OK) == 0 else {
                throw ConfigError(field: "data-dir", message: "\(path) is not writable by this user")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ConfigError(field: "data-dir", message: "cannot create \(path): \(error.localizedDescription)")
        }
    }

    /// The vault: from `PCMOPS_SECRET_KEY`, else the key file (created on first start).
    static func vault(for config: ServerConfig) throws -> (vault: Vault, createdKeyFile: Bool) {
        let previous = try config.previousSecretKeys.map { encoded in
            do { return try SecretKey(encoded: encoded) } catch {
                throw ConfigError(field: "previous-secret-keys", message: String(describing: error))
            }
        }
        if let encoded = config.secretKey {
            do {
                return (Vault(current: try SecretKey(encoded: encoded), previous: previous), false)
            } catch {
                throw ConfigError(field: "secret-key", message: String(describing: error))
            }
        }
        do {
            let (key, created) = try SecretKeyFile.loadOrCreate(at: config.secretKeyPath)
            return (Vault(current: key, previous: previous), created)
        } catch {
            throw ConfigError(field: "data-dir", message: String(describing: error))
        }
    }
}
