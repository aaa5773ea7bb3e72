import FluentKit
import Foundation
import Testing
import Vapor

@testable import OpsServer

@Suite("Transactions retried when SQLite is busy")
struct RetryingTransactionTests {
    struct Busy: Error {}
    struct Broken: Error {}

    actor Counter {
        var value = 0
        func next() -> Int {
            value += 1
            return value
        }
    }

    @Test func aBusyTransactionRunsAgainUntilItCommits() async throws {
        try await TestApp.run { test in
            let counter = Counter()
            let result = try await test.app.db.retryingTransaction(retryIf: { $0 is Busy }) { _ in
                if await counter.next() < 3 { throw Busy() }
                return "done"
            }
            #expect(result == "done")
            #expect(await counter.value == 3)
        }
    }

    @Test func otherErrorsAndTheLastBusyPassThrough() async throws {
        try await TestApp.run { test in
            let counter = Counter()
            await #expect(throws: Broken.self) {
                try await test.app.db.retryingTransaction(retryIf: { $0 is Busy }) { _ in
                    _ = await counter.next()
                    throw Broken()
                }
            }
            #expect(await counter.value == 1)
            let busy = Counter()
            await #expect(throws: Busy.self) {
                try await test.app.db.retryingTransaction(attempts: 3, retryIf: { $0 is Busy }) { _ in
                    _ = await busy.next()
                    throw Busy()
                }
            }
            #expect(await busy.value == 3)
            #expect(SQLiteBusy.matches(Broken()) == false)
        }
    }
}
