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
        var outPipe: [CInt] = [-1, -1]
        var errPipe: [CInt] = [-1, -1]
        // pipe2 is not exported to Swift; set close-on-exec at once instead.
        guard pipe(&outPipe) == 0 else { throw failure("pipe") }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0])
            close(outPipe[1])
            throw failure("pipe")
        }
        var inPipe: [CInt] = [-1, -1]
        if withInput, pipe(&inPipe) != 0 {
            for fd in outPipe + errPipe { close(fd) }
            throw failure("pipe")
        }
        for fd in outPipe + errPipe + inPipe where fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let devNull = withInput ? inPipe[0] : open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer {
            close(outPipe[1])
            close(errPipe[1])
            if devNull >= 0 { close(devNull) }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, devNull, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

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
            close(outPipe[0])
            close(errPipe[0])
            if withInput { close(inPipe[1]) }
            throw SSHConnectionError(
                stage: .connect, target: executable,
                message: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return Started(pid: pid, stdout: outPipe[0], stderr: errPipe[0], stdin: withInput ? inPipe[1] : nil)
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
