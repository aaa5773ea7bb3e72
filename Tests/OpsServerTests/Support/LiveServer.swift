import Foundation
import OpsCore
import Testing
import Vapor

@testable import OpsServer

/// A run that stays `running` (owned by this process, so recovery leaves it alone) with one stored
/// event: a stream of it stays open until something else ends it.
struct OpenRunFixture {
    /// Creates the run and returns its public id.
    static func create(_ test: TestApp) async throws -> String {
        let run = Run()
        run.publicID = "r-open" + String(UUID().uuidString.prefix(6)).lowercased()
        run.tool = "system"
        run.action = "ping"
        run.parametersJSON = "{}"
        run.stepsJSON = "[]"
        run.requestedBy = "oscar"
        run.source = "api"
        run.status = RunStatus.running.rawValue
        run.maxConcurrency = "1"
        run.maxErrors = "0"
        run.targetCount = 0
        run.cancelRequested = false
        run.owner = test.app.services.identity.description
        run.leaseExpiresAt = test.clock.now().addingTimeInterval(86400)
        run.createdAt = test.clock.now()
        try await run.create(on: test.app.db)
        let event = RunEvent()
        event.$run.id = try run.requireID()
        event.seq = 1
        event.kind = "run.status"
        event.payload = #"{"status":"running"}"#
        event.createdAt = test.clock.now()
        try await event.create(on: test.app.db)
        return run.publicID
    }
}

extension TestApp {
    /// Serves the app on a free loopback port for the length of `body`, for clients that need a real
    /// socket (streamed responses, WebSocket).
    func listening(_ body: (Int) async throws -> Void) async throws {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            let port = try #require(app.http.server.shared.localAddress?.port)
            try await body(port)
        } catch {
            await app.server.shutdown()
            throw error
        }
        await app.server.shutdown()
    }
}

/// Thrown by ``withDeadline(seconds:_:)`` when the work takes too long.
struct DeadlineExceeded: Error, CustomStringConvertible {
    let seconds: Double
    var description: String { "not done within \(seconds) s" }
}

/// Runs `work`, cancelling it and throwing ``DeadlineExceeded`` after `seconds`.
func withDeadline<T: Sendable>(
    seconds: Double, _ work: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await work() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw DeadlineExceeded(seconds: seconds)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw DeadlineExceeded(seconds: seconds) }
        return first
    }
}
