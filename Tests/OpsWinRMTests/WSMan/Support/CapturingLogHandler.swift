import Foundation
import Logging

/// Keeps what is logged through it, for tests that check a failure was reported.
final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let lock = NSLock()
    private var captured: [Entry] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock {
            captured.append(
                Entry(level: event.level, message: event.message.description, metadata: event.metadata ?? [:]))
        }
    }

    var entries: [Entry] { lock.withLock { captured } }

    /// A logger writing only here.
    func logger() -> Logger {
        Logger(label: "test") { _ in self }
    }
}
