import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The key file in the data directory: created once with mode 0600, read on every later start.
public enum SecretKeyFile {
    /// Reads the key at `path`, or creates it with a new random key when the file does not exist.
    ///
    /// Refuses a file that group or others may read, as OpenSSH does for private keys: a key anyone
    /// on the host can read protects nothing.
    public static func loadOrCreate(at path: String) throws(VaultError) -> (key: SecretKey, created: Bool) {
        if FileManager.default.fileExists(atPath: path) {
            return (try load(at: path), false)
        }
        let key = SecretKey.generate()
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            // Another process may have created it between the check and the open: read theirs.
            if errno == EEXIST { return (try load(at: path), false) }
            throw .keyFile(path: path, reason: "cannot create: \(reason)")
        }
        defer { close(descriptor) }
        let line = Array((key.base64 + "\n").utf8)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(descriptor) == 0 else {
            unlink(path)
            throw .keyFile(path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
        }
        return (key, true)
    }

    /// Reads an existing key file, checking its permissions first.
    public static func load(at path: String) throws(VaultError) -> SecretKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .keyFile(path: path, reason: "cannot stat: \(String(cString: strerror(errno)))")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw .keyFile(
                path: path,
                reason: "mode is \(String(mode, radix: 8)); it must not be readable by group or others (chmod 600)")
        }
        guard let contents = FileManager.default.contents(atPath: path),
            let text = String(data: contents, encoding: .utf8)
        else {
            throw .keyFile(path: path, reason: "cannot read")
        }
        do {
            return try SecretKey(encoded: text)
        } catch {
            throw .keyFile(path: path, reason: "does not hold a 256-bit key (\(error))")
        }
    }
}
