import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
import Vapor

@testable import OpsServer

/// Collects the messages logged at info and above.
final class CapturedLog: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])
    var messages: [String] { lines.withLockedValue { $0 } }

    func handler(label: String) -> some LogHandler { Handler(log: self) }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            guard event.level >= .info else { return }
            let fields = (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
            log.lines.withLockedValue { $0.append("\(event.message) \(fields)") }
        }
    }
}

@Suite("Quiet start")
struct QuietStartTests {
    static func start(_ directory: String, log: CapturedLog) async throws {
        var config = ServerConfig()
        config.dataDirectory = directory
        config.database = .sqlite(path: directory + "/pcm-ops.sqlite")
        try await startOnce(config, logger: Logger(label: "pcm-ops") { log.handler(label: $0) })
    }

    @Test func aFreshStartLogsOneLineForItsMigrationsAndARestartNone() async throws {
        // setup
        let directory = NSTemporaryDirectory() + "pcmops-quiet-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = CapturedLog()
        let second = CapturedLog()
        // act
        try await Self.start(directory, log: first)
        try await Self.start(directory, log: second)
        // assert
        #expect(!first.messages.contains { $0.contains("prepare") }, "\(first.messages)")
        let migrationLines = first.messages.filter { $0.contains("migration") }
        #expect(migrationLines.count == 1, "\(first.messages)")
        #expect(migrationLines.first?.contains("ran \(Migrations.all.count) database migrations") == true)
        #expect(migrationLines.first?.contains(Migrations.all[0].name) == true)
        #expect(!second.messages.contains { $0.contains("migration") || $0.contains("prepare") }, "\(second.messages)")
    }
}
