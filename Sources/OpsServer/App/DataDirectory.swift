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

    /// A file only this user may read or write (0600), whatever the directory's mode and the umask: created empty
    /// when missing, its mode narrowed when it exists. The SQLite database goes through this before SQLite opens
    /// it; SQLite gives its `-wal` and `-shm` files the database file's mode, and those are narrowed too.
    static func securePrivateFile(_ path: String) throws {
        for file in [path, path + "-wal", path + "-shm", path + "-journal"] {
            var info = stat()
            if stat(file, &info) == 0 {
                guard info.st_mode & 0o077 != 0 else { continue }
                guard chmod(file, 0o600) == 0 else {
                    throw ConfigError(
                        field: "data-dir",
                        message: "cannot make \(file) private (mode 0600): \(String(cString: strerror(errno)))")
                }
            } else if file == path {
                let descriptor = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
                guard descriptor >= 0 else {
                    throw ConfigError(
                        field: "data-dir", message: "cannot create \(file): \(String(cString: strerror(errno)))")
                }
                close(descriptor)
                // open() applies the umask, which can only narrow 0600; fchmod is not needed.
            }
        }
    }

    /// A warning when other users can list or enter the data directory (mode bits for group or others).
    static func permissionWarning(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o077 != 0 else { return nil }
        return "the data directory \(path) has mode \(String(info.st_mode & 0o777, radix: 8)): other users can see "
            + "its files' names; its database and key are 0600, but `chmod 700 \(path)` is safer"
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
