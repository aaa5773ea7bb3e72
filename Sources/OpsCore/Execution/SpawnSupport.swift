#if canImport(Glibc)
    import Glibc
#endif

/// The posix_spawn pieces every program start here needs and Swift's Glibc module does not export (they sit
/// behind `_GNU_SOURCE`): pipes created close-on-exec in one call, and "close every other descriptor" in the
/// child. Looked up once with dlsym; on a libc without them the portable fallbacks are used.
///
/// Foundation's `Process` is never used to start programs: on Linux (Swift 6.3.1) its `run()` reads
/// `/proc/self/fd` with a 256-byte over-read of each `dirent` and crashes the whole process now and then
/// (swift-corelibs-foundation PR #5472) — in this project's CI about one run in three.
public enum SpawnSupport {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<CInt>, CInt) -> CInt
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, CInt) -> CInt
    private typealias ChangeDirectory =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> CInt

    private struct Functions: @unchecked Sendable {
        var pipe2: Pipe2?
        var closeFrom: CloseFrom?
        var changeDirectory: ChangeDirectory?
    }

    private static let functions: Functions = {
        let handle = dlopen(nil, RTLD_NOW)
        func find<T>(_ name: String, as type: T.Type) -> T? {
            dlsym(handle, name).map { unsafeBitCast($0, to: type) }
        }
        return Functions(
            pipe2: find("pipe2", as: Pipe2.self),
            closeFrom: find("posix_spawn_file_actions_addclosefrom_np", as: CloseFrom.self),
            changeDirectory: find("posix_spawn_file_actions_addchdir_np", as: ChangeDirectory.self))
    }()

    /// A pipe whose two ends are close-on-exec, atomically where the libc allows (so a program another
    /// thread starts at the same moment cannot inherit it and hold it open). Returns nil and keeps `errno`
    /// on failure.
    public static func pipe() -> (read: CInt, write: CInt)? {
        var ends: [CInt] = [-1, -1]
        if let pipe2 = functions.pipe2 {
            guard pipe2(&ends, O_CLOEXEC) == 0 else { return nil }
        } else {
            guard Glibc.pipe(&ends) == 0 else { return nil }
            for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        return (ends[0], ends[1])
    }

    /// Makes the child close every descriptor from `lowest` up, after the dup2 actions already added.
    public static func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, lowest: CInt = 3) {
        _ = functions.closeFrom?(&actions, lowest)
    }

    /// Makes the child start in `directory`; false when the libc cannot (the caller must then refuse).
    public static func addChangeDirectory(_ actions: inout posix_spawn_file_actions_t, _ directory: String) -> Bool {
        guard let change = functions.changeDirectory else { return false }
        return change(&actions, directory) == 0
    }
}
