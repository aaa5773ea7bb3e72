import Foundation

/// One command to run on one target.
public struct ExecRequest: Sendable {
    /// The command line handed to the remote shell.
    public var command: String
    /// After this long the channel is closed and the result is `timedOut`.
    public var timeout: Duration
    /// Bytes kept per stream; the rest is dropped and the result marked truncated.
    public var outputCap: Int
    /// Sent to the command's standard input, then end-of-file (scripts go this way: `bash -s`, so
    /// their length is not limited by the command line). nil sends end-of-file at once.
    public var stdin: [UInt8]?

    public init(command: String, timeout: Duration = .seconds(300), outputCap: Int = 1 << 20, stdin: [UInt8]? = nil) {
        self.command = command
        self.timeout = timeout
        self.outputCap = outputCap
        self.stdin = stdin
    }
}

/// Which output stream a chunk came from.
public enum ExecStream: String, Sendable, Codable {
    case stdout, stderr
}

/// What a transport reports while a command runs.
public enum ExecEvent: Sendable {
    /// The command started on the target.
    case started
    /// A chunk of output, as it arrived (already counted against the cap; chunks past the cap are not sent).
    case output(ExecStream, [UInt8])
}

/// How a command ended.
public struct ExecResult: Sendable, Equatable {
    /// The exit status, when the process exited normally.
    public var exitStatus: Int?
    /// The signal name without "SIG" (e.g. "TERM"), when a signal ended it.
    public var exitSignal: String?
    public var stdout: String
    public var stderr: String
    public var stdoutTruncated: Bool
    public var stderrTruncated: Bool
    /// True when the command timeout closed the channel.
    public var timedOut: Bool
    public var duration: Duration

    public init(
        exitStatus: Int?, exitSignal: String?, stdout: String, stderr: String, stdoutTruncated: Bool,
        stderrTruncated: Bool, timedOut: Bool, duration: Duration
    ) {
        self.exitStatus = exitStatus
        self.exitSignal = exitSignal
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutTruncated = stdoutTruncated
        self.stderrTruncated = stderrTruncated
        self.timedOut = timedOut
        self.duration = duration
    }

    /// True for exit status 0 without a signal or timeout.
    public var succeeded: Bool { exitStatus == 0 && exitSignal == nil && !timedOut }
}

/// Keeps the first `cap` bytes of a stream and counts the rest, so memory stays flat however much a
/// command prints. The kept text ends with a visible marker when anything was dropped.
public struct OutputCapture: Sendable {
    public let cap: Int
    public private(set) var bytes: [UInt8] = []
    public private(set) var droppedBytes = 0

    public init(cap: Int) {
        self.cap = max(0, cap)
    }

    /// Appends a chunk; returns the part that was kept (empty once the cap is reached).
    @discardableResult
    public mutating func append<Bytes: Collection>(_ chunk: Bytes) -> ArraySlice<UInt8> where Bytes.Element == UInt8 {
        let room = cap - bytes.count
        guard room > 0 else {
            droppedBytes += chunk.count
            return []
        }
        let kept = Array(chunk.prefix(room))
        bytes.append(contentsOf: kept)
        droppedBytes += chunk.count - kept.count
        return kept[...]
    }

    public var truncated: Bool { droppedBytes > 0 }

    /// The kept output as text (invalid UTF-8 repaired), with the truncation marker when needed.
    public var text: String {
        let body = String(decoding: bytes, as: UTF8.self)
        guard truncated else { return body }
        return body + "\n[pcm-ops: output truncated: kept \(bytes.count) bytes, dropped \(droppedBytes) bytes]\n"
    }
}
