import Foundation
import NIOConcurrencyHelpers
import OpsConductor
import OpsCore
import SQLKit
import Vapor
import VaporTesting

@testable import OpsServer

/// A clock tests move by hand.
final class TestClock: WallClock, Sendable {
    private let current = NIOLockedValueBox(Date(timeIntervalSince1970: 1_900_000_000))

    func now() -> Date { current.withLockedValue { $0 } }

    func advance(by seconds: TimeInterval) { current.withLockedValue { $0 += seconds } }

    /// Moves the clock to `deadline` instead of waiting for it.
    func sleep(until deadline: Date) async throws { current.withLockedValue { $0 = max($0, deadline) } }
}

/// The password every fixture user has.
let fixturePassword = "correct horse battery staple"

/// An application on in-memory SQLite, or on PostgreSQL in a schema of its own when
/// `PCMOPS_TEST_DATABASE_URL` is set (the PostgreSQL suite), with users admin, oscar (operator), vera (viewer).
struct TestApp {
    let app: Application
    let clock: TestClock

    static var postgresURL: String? { ProcessInfo.processInfo.environment["PCMOPS_TEST_DATABASE_URL"] }

    static func run(
        fixtures: Bool = true, configure: (inout ServerConfig) -> Void = { _ in },
        planner: (any ConductorPlanner)? = nil, aws: AWSGateway? = nil,
        _ body: (TestApp) async throws -> Void
    ) async throws {
        let clock = TestClock()
        var config = ServerConfig()
        config.security.bcryptCost = 4
        var schema: String?
        if let url = postgresURL {
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            schema = name
            config.database = .postgres(url: url, searchPath: [name])
        } else {
            config.database = .sqliteMemory
        }
        configure(&config)
        let services = AppServices(
            config: config, vault: Vault(current: .generate()), clock: clock, metrics: HTTPMetrics(),
            catalog: try PCMOpsApp.makeCatalog(config: config), aws: aws, conductor: planner)
        let app = try await Application.make(.testing)
        let testApp = TestApp(app: app, clock: clock)
        do {
            try await PCMOpsApp.configure(app, services: services)
            for (name, role) in [("admin", Role.admin), ("oscar", .operator), ("vera", .viewer)] where fixtures {
                _ = try await testApp.accounts.createUser(
                    username: name, role: role, password: fixturePassword, by: .init(name: nil, source: .system))
            }
            try await body(testApp)
        } catch {
            await cleanUp(app, schema: schema)
            throw error
        }
        await cleanUp(app, schema: schema)
    }

    private static func cleanUp(_ app: Application, schema: String?) async {
        if let schema, let sql = app.db as? any SQLDatabase {
            try? await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
        }
        try? await app.asyncShutdown()
    }

    var audit: AuditLog { AuditLog(database: app.db, now: { [clock] in clock.now() }, logger: app.logger) }

    var accounts: AccountService {
        AccountService(database: app.db, hashing: PasswordHashing(cost: 4), audit: audit)
    }

    var tokens: TokenService { TokenService(database: app.db, audit: audit, now: { [clock] in clock.now() }) }

    /// A signed-in browser for `username`, made directly in the session store.
    func session(_ username: String) async throws -> BrowserSession {
        let user = try await accounts.require(username)
        let store = SessionStore(
            database: app.db, security: app.services.config.security, now: { [clock] in clock.now() })
        let (session, cookie) = try await store.create(for: user, address: "127.0.0.1", userAgent: "tests")
        return BrowserSession(cookie: cookie, csrf: session.csrfToken)
    }

    /// A bearer token for `username`.
    func token(_ username: String, expiresInDays: Int? = nil) async throws -> String {
        let user = try await accounts.require(username)
        return try await tokens.create(
            for: user, name: "test", expiresInDays: expiresInDays, by: .init(name: nil, source: .system)
        ).plaintext
    }

    /// Sends a request in memory.
    func send(
        _ method: HTTPMethod, _ path: String, session: BrowserSession? = nil, csrf: CSRFChoice = .valid,
        bearer: String? = nil, form: [String: String]? = nil, json: String? = nil, headers extra: HTTPHeaders = [:],
        body raw: String? = nil
    ) async throws -> TestingHTTPResponse {
        var headers = extra
        var body = ByteBuffer()
        if let session {
            headers.add(name: .cookie, value: "\(SessionStore.cookieName)=\(session.cookie)")
        }
        if let bearer { headers.bearerAuthorization = .init(token: bearer) }
        var fields = form
        if let session, method != .GET {
            switch csrf {
            case .valid:
                if fields != nil {
                    fields?[CSRFField.name] = session.csrf
                } else {
                    headers.add(name: CSRFMiddleware.header, value: session.csrf)
                }
            case .wrong:
                if fields != nil {
                    fields?[CSRFField.name] = "wrong"
                } else {
                    headers.add(name: CSRFMiddleware.header, value: "wrong")
                }
            case .missing: break
            }
        }
        if let fields {
            headers.contentType = .urlEncodedForm
            body.writeString(Self.urlEncode(fields))
        } else if let json {
            headers.contentType = .json
            body.writeString(json)
        } else if let raw {
            body.writeString(raw)
        }
        return try await app.testing().performTest(
            request: TestingHTTPRequest(method: method, url: URI(string: path), headers: headers, body: body))
    }

    static func urlEncode(_ fields: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.sorted { $0.key < $1.key }
            .map {
                "\($0.key.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
            }
            .joined(separator: "&")
    }
}

/// What a test sends as the CSRF token.
enum CSRFChoice {
    case valid, wrong, missing
}

/// A browser's session cookie and the CSRF token its pages carry.
struct BrowserSession: Sendable {
    var cookie: String
    var csrf: String
}

extension TestingHTTPResponse {
    var text: String { body.getString(at: body.readerIndex, length: body.readableBytes) ?? "" }

    /// The value a Set-Cookie header gives `name`, or nil.
    func cookie(_ name: String) -> String? {
        for header in headers[.setCookie] where header.hasPrefix(name + "=") {
            return String(header.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

    func json() throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }
}
