import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// Runs on in-memory SQLite, and on PostgreSQL in the PostgreSQL suite (`PCMOPS_TEST_DATABASE_URL`).
@Suite("Migrations")
struct MigrationTests {
    @Test func everyTableExistsAndIsUsable() async throws {
        try await TestApp.run { test in
            #expect(try await User.query(on: test.app.db).count() == 3)
            #expect(try await APIToken.query(on: test.app.db).count() == 0)
            #expect(try await UserSession.query(on: test.app.db).count() == 0)
            #expect(try await AuditEntry.query(on: test.app.db).count() >= 3)
            let pending = try await test.app.migrator.previewPrepareBatch().get()
            #expect(pending.isEmpty)
        }
    }

    @Test func revertAndMigrateAgain() async throws {
        try await TestApp.run(fixtures: false) { test in
            try await test.app.autoRevert()
            let pending = try await test.app.migrator.previewPrepareBatch().get()
            #expect(pending.count == Migrations.all.count)
            try await test.app.autoMigrate()
            #expect(try await test.app.migrator.previewPrepareBatch().get().isEmpty)
            #expect(try await User.query(on: test.app.db).count() == 0)
        }
    }

    @Test func usernamesAreUniqueInTheDatabase() async throws {
        try await TestApp.run { test in
            let duplicate = User(username: "vera", passwordHash: "x", role: .viewer)
            await #expect(throws: (any Error).self) { try await duplicate.create(on: test.app.db) }
        }
    }

    @Test func auditIdsIncrease() async throws {
        try await TestApp.run { test in
            try await test.audit.record("test.one", actor: "a", source: .system)
            try await test.audit.record("test.two", actor: "a", source: .system)
            let entries = try await AuditEntry.query(on: test.app.db).sort(\.$id).all()
            let ids = entries.compactMap(\.id)
            #expect(ids == ids.sorted())
            #expect(Set(ids).count == ids.count)
        }
    }

    @Test func readinessReportsTheDatabase() async throws {
        try await TestApp.run { test in
            let ready = try await test.send(.GET, "/health/ready")
            #expect(ready.status == .ok)
            #expect(ready.text.contains(#""migrations":"ok""#))
            try await test.app.autoRevert()
            let notReady = try await test.send(.GET, "/health/ready")
            #expect(notReady.status == .serviceUnavailable)
        }
    }
}
