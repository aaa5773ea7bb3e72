import Foundation
import OpsCore

#if canImport(Glibc)
    import Glibc
#endif

/// Names the process that drives a run (`host/pid/token`), so a later process can tell whether the
/// owner of a run left `running` is gone.
public struct ProcessIdentity: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var pid: Int32
    public var token: String

    public static let current = ProcessIdentity(
        host: localHostName, pid: getpid(), token: String(RandomToken.urlSafe(byteCount: 6).prefix(8)))

    /// The kernel's host name (gethostname), never a DNS lookup: `ProcessInfo.hostName` may resolve
    /// names and stall for seconds where no resolver answers.
    static let localHostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    public var description: String { "\(host)/\(pid)/\(token)" }

    public init(host: String, pid: Int32, token: String) {
        self.host = host
        self.pid = pid
        self.token = token
    }

    /// Parses `host/pid/token`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let pid = Int32(parts[1]) else { return nil }
        self.init(host: parts[0], pid: pid, token: parts[2])
    }

    /// True when this identity is on this host and no process has its pid (a process we may not
    /// signal still exists).
    public var isDeadOnThisHost: Bool {
        guard host == Self.localHostName else { return false }
        if self == ProcessIdentity.current { return false }
        if pid == ProcessIdentity.current.pid { return true }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}

/// The runs this process drives, so a cancel request reaches the engine at once.
public actor ActiveRuns {
    private var engines: [String: RunEngine] = [:]

    public init() {}

    func register(_ publicID: String, _ engine: RunEngine) { engines[publicID] = engine }
    func remove(_ publicID: String) { engines[publicID] = nil }

    /// Cancels the run when this process drives it; returns false otherwise.
    func cancel(_ publicID: String, reason: String) -> Bool {
        guard let engine = engines[publicID] else { return false }
        engine.cancel(reason: reason)
        return true
    }

    public var count: Int { engines.count }

    /// Cancels every run and waits (up to `waitUpTo`) until their engines have finished recording.
    public func cancelAll(reason: String, waitUpTo limit: Duration) async {
        for engine in engines.values { engine.cancel(reason: reason) }
        let deadline = ContinuousClock.now + limit
        while !engines.isEmpty && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
