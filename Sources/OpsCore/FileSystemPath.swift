import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Path checks for files a user names (a tool's `script_file`, an inventory's key file) that must stay inside
/// a directory: symbolic links are resolved first, so a link cannot lead out of it.
public enum FileSystemPath {
    /// The path with every symbolic link resolved, or nil when it does not exist.
    public static func real(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// True for a regular file (not a folder, device, FIFO or socket), after links.
    public static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The real path of `path` when it is a regular file inside `directory` (both resolved), else nil.
    public static func regularFile(_ path: String, inside directory: String) -> String? {
        guard let base = real(directory), let file = real(path), file.hasPrefix(base + "/"), isRegularFile(file)
        else { return nil }
        return file
    }
}
