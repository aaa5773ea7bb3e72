import Foundation
import OpsCore

#if canImport(Glibc)
    import Glibc
#endif

/// posix_spawn with pipes for stdout and stderr and /dev/null for stdin, in a new process group.
enum Spawn {
    struct Started {
        var pid: pid_t
        var stdout: CInt
        var stderr: CInt
        /// The write end of the child's stdin, when input was requested.
        var stdin: CInt?
    }

    static func start(
        executable: String, arguments: [String], environment: [String: String], withInput: Bool = false
    ) throws -> Started {
        // Close-on-exec from birth: a program another thread starts meanwhile must not inherit our ends.
        guard let outPipe = SpawnSupport.pipe() else { throw failure("pipe") }
        guard let errPipe = SpawnSupport.pipe() else {
            close(outPipe.read)
            close(outPipe.write)
            throw failure("pipe")
        }
        var inPipe: (read: CInt, write: CInt)?
        if withInput {
            guard let ends = SpawnSupport.pipe() else {
                for fd in [outPipe.read, outPipe.write, errPipe.read, errPipe.write] { close(fd) }
                throw failure("pipe")
            }
            inPipe = ends
        }
        let devNull = inPipe?.read ?? open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer {
            close(outPipe.write)
            close(errPipe.write)
            if devNull >= 0 { close(devNull) }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, devNull, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe.write, 2)
        SpawnSupport.addCloseFrom(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            close(outPipe.read)
            close(errPipe.read)
            if let inPipe { close(inPipe.write) }
            throw SSHConnectionError(
                stage: .connect, target: executable,
                message: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return Started(pid: pid, stdout: outPipe.read, stderr: errPipe.read, stdin: inPipe?.write)
    }

    /// Waits for `pid` to exit without holding a thread: polls waitpid(WNOHANG), backing off to 50 ms.
    static func waitForExit(_ pid: pid_t) async -> Int32 {
        var status: Int32 = 0
        var delay: UInt64 = 1_000_000
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result == -1 && errno != EINTR) { return status }
            try? await Task.sleep(nanoseconds: delay)
            delay = min(delay * 2, 50_000_000)
        }
    }

    private static func failure(_ call: String) -> SSHConnectionError {
        SSHConnectionError(
            stage: .connect, target: "local", message: "\(call) failed: \(String(cString: strerror(errno)))")
    }
}
