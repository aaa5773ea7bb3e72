import Foundation
import OpsCore

#if canImport(Glibc)
    import Glibc
#endif

/// A program started by a test: posix_spawn, never Foundation's `Process`, whose `run()` on Linux
/// (Swift 6.3.1) over-reads `/proc/self/fd` and crashes the test process now and then
/// (swift-corelibs-foundation PR #5472; here a SIGSEGV in about one CI run of three).
///
/// Standard output is always a pipe (``output``); standard input is a pipe (``input``) or /dev/null; standard
/// error is a pipe (``errors``), /dev/null or the test process's own. Every other descriptor is closed in the
/// child. The environment is the test process's unless one is given.
public final class ChildProcess: @unchecked Sendable {
    public enum ErrorStream: Sendable {
        case pipe, discard, inherit
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// What ``run(_:_:input:directory:environment:)`` collected.
    public struct Output: Sendable {
        /// The exit status, or 128 + the signal number.
        public var status: Int32
        public var stdout: Data
        public var stderr: Data
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    public let pid: pid_t
    /// The write end of the child's standard input, when it was asked for.
    public let input: FileHandle?
    /// The read end of the child's standard output.
    public let output: FileHandle
    /// The read end of the child's standard error, when ``ErrorStream/pipe``.
    public let errors: FileHandle?
    private let exit = NSLock()
    private var exitStatus: Int32?

    /// Starts `executable` (an absolute path) with `arguments`.
    public init(
        _ executable: String, _ arguments: [String], pipedInput: Bool = false, errors: ErrorStream = .pipe,
        directory: String? = nil, environment: [String: String]? = nil
    ) throws {
        var opened: [CInt] = []
        func pipe() throws -> (read: CInt, write: CInt) {
            guard let ends = SpawnSupport.pipe() else { throw Self.failure("pipe") }
            opened += [ends.read, ends.write]
            return ends
        }
        // A child that exits before reading all its input must not take the test process with it (EPIPE).
        if pipedInput { Glibc.signal(SIGPIPE, SIG_IGN) }
        do {
            let out = try pipe()
            let inPipe = pipedInput ? try pipe() : nil
            let errPipe = errors == .pipe ? try pipe() : nil
            let null = open("/dev/null", O_RDWR | O_CLOEXEC)
            guard null >= 0 else { throw Self.failure("open /dev/null") }
            opened.append(null)

            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, inPipe?.read ?? null, 0)
            posix_spawn_file_actions_adddup2(&actions, out.write, 1)
            switch errors {
            case .pipe: posix_spawn_file_actions_adddup2(&actions, errPipe?.write ?? null, 2)
            case .discard: posix_spawn_file_actions_adddup2(&actions, null, 2)
            case .inherit: break
            }
            SpawnSupport.addCloseFrom(&actions)
            if let directory, !SpawnSupport.addChangeDirectory(&actions, directory) {
                throw Failure(description: "this libc cannot start a program in \(directory)")
            }

            let argv = ([executable] + arguments).map { strdup($0) } + [nil]
            let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
            defer {
                argv.forEach { free($0) }
                envp?.forEach { free($0) }
            }
            var pid: pid_t = 0
            let result =
                if let envp {
                    posix_spawn(&pid, executable, &actions, nil, argv, envp)
                } else {
                    posix_spawn(&pid, executable, &actions, nil, argv, environ)
                }
            guard result == 0 else {
                throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
            }
            self.pid = pid
            // The child holds its own copies now; keep only our ends.
            for fd in [out.write, inPipe?.read, errPipe?.write, null].compactMap({ $0 }) { close(fd) }
            output = FileHandle(fileDescriptor: out.read, closeOnDealloc: true)
            input = inPipe.map { FileHandle(fileDescriptor: $0.write, closeOnDealloc: true) }
            self.errors = errPipe.map { FileHandle(fileDescriptor: $0.read, closeOnDealloc: true) }
        } catch {
            for fd in opened { close(fd) }
            throw error
        }
    }

    deinit {
        // A child nobody waited for must not stay a zombie.
        if exitStatus == nil {
            var status: Int32 = 0
            _ = waitpid(pid, &status, WNOHANG)
        }
    }

    /// Waits (blocking this thread) until the child exits; its exit status, or 128 + the signal number.
    @discardableResult
    public func wait() -> Int32 {
        exit.lock()
        defer { exit.unlock() }
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        exitStatus = code
        return code
    }

    /// Sends `signal` to the child.
    public func signal(_ signal: Int32 = SIGTERM) {
        kill(pid, signal)
    }

    /// Runs a program to its end: writes `input` (if any) to its standard input, collects its standard output
    /// and error (both read as they come, so neither pipe fills up), and waits for it.
    public static func run(
        _ executable: String, _ arguments: [String], input: Data? = nil, directory: String? = nil,
        environment: [String: String]? = nil
    ) throws -> Output {
        let child = try ChildProcess(
            executable, arguments, pipedInput: input != nil, directory: directory, environment: environment)
        if let input, let handle = child.input {
            // A writer thread of its own: the child may write a lot before it reads everything.
            Thread.detachNewThread {
                try? handle.write(contentsOf: input)
                try? handle.close()
            }
        }
        let stderr = Collected()
        let errorsRead = DispatchSemaphore(value: 0)
        if let errors = child.errors {
            Thread.detachNewThread {
                stderr.data = errors.readDataToEndOfFile()
                errorsRead.signal()
            }
        } else {
            errorsRead.signal()
        }
        let stdout = child.output.readDataToEndOfFile()
        errorsRead.wait()
        return Output(status: child.wait(), stdout: stdout, stderr: stderr.data)
    }

    private static func failure(_ call: String) -> Failure {
        Failure(description: "\(call) failed: \(String(cString: strerror(errno)))")
    }
}

/// Bytes one reader thread fills and the waiting thread takes after the semaphore.
private final class Collected: @unchecked Sendable {
    var data = Data()
}
