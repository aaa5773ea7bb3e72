import Fluent
import Foundation
import OpsCore
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("Tool catalog: built-in tools, API, pages, reload")
struct ToolsCatalogTests {
    @Test func theBuiltInToolsLoadWithoutProblems() throws {
        let directory = try #require(CatalogStore.builtInDirectory())
        let (tools, errors) = CatalogLoader.load(directories: [directory])
        #expect(errors.isEmpty, "\(errors)")
        #expect(tools.contains { $0.id == "system" })
    }

    @Test func apiListsAndShowsTools() async throws {
        try await TestApp.run { test in
            let token = try await test.token("vera")
            let list = try await test.send(.GET, "/api/v1/tools", bearer: token)
            #expect(list.status == .ok)
            #expect(list.text.contains(#""id":"system""#))
            let tool = try await test.send(.GET, "/api/v1/tools/system", bearer: token).json()
            let actions = try #require(tool["actions"] as? [[String: Any]])
            #expect(actions.compactMap { $0["id"] as? String }.contains("service-status"))
            #expect((actions.first?["script_sha256"] as? String)?.count == 64)
            #expect(try await test.send(.GET, "/api/v1/tools/nope", bearer: token).status == .notFound)
        }
    }

    @Test func pagesShowTheCatalogReadOnly() async throws {
        try await TestApp.run { test in
            let vera = try await test.session("vera")
            let list = try await test.send(.GET, "/tools", session: vera)
            #expect(list.text.contains("System health"))
            #expect(!list.text.contains("Reload catalog"))
            #expect(try await test.send(.GET, "/tools?q=memory", session: vera).text.contains("System health"))
            #expect(try await test.send(.GET, "/tools?q=zzz-nothing", session: vera).text.contains("No tool matches"))
            let detail = try await test.send(.GET, "/tools/system", session: vera)
            #expect(detail.text.contains("service-status"))
            #expect(detail.text.contains("systemctl is-active"))
            #expect(try await test.send(.GET, "/tools/nope", session: vera).status == .notFound)
        }
    }

    @Test func reloadPicksUpSiteToolsAndRefusesABrokenCatalog() async throws {
        let site = NSTemporaryDirectory() + "pcmops-site-tools-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: site + "/hello", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: site) }
        try await TestApp.run(configure: { $0.toolsDirectory = site }) { test in
            let admin = try await test.token("admin")
            try "id: hello\nname: Hello\nactions:\n  - id: say\n    script: echo hello\n".write(
                toFile: site + "/hello/tool.yml", atomically: true, encoding: .utf8)
            let builtIn = test.app.services.catalog.catalog.tools.count
            let reloaded = try await test.send(.POST, "/api/v1/tools/reload", bearer: admin)
            #expect(reloaded.status == .ok)
            #expect(try reloaded.json()["tools"] as? Int == builtIn + 1)
            // A broken file: refused with file, line and field; the catalog in use stays.
            try "id: hello\nname: Hello\nactions:\n  - id: say\n    interpreter: fish\n    script: echo\n".write(
                toFile: site + "/hello/tool.yml", atomically: true, encoding: .utf8)
            let refused = try await test.send(.POST, "/api/v1/tools/reload", bearer: admin)
            #expect(refused.status == .unprocessableEntity)
            let detail = try refused.json()["detail"] as? String ?? ""
            #expect(detail.contains("hello/tool.yml:5") && detail.contains("actions[0].interpreter"))
            #expect(test.app.services.catalog.catalog.tool("hello") != nil)
            #expect(try await AuditEntry.query(on: test.app.db).filter(\.$action == "catalog.reload").count() == 1)
        }
    }

    @Test func aMissingToolsDirIsAConfigError() {
        #expect(throws: ConfigError.self) {
            try ServerConfig.load(flags: ServerFlags(toolsDirectory: "/nonexistent/tools"), environment: [:])
        }
    }
}

@Suite("Built-in system tool on a real host over SSH", .enabled(if: SSHFixture.current != nil))
struct SystemToolIntegrationTests {
    @Test(arguments: [
        ("ping", [String: String](), "ok"), ("uptime", [:], "load:"), ("disk", ["threshold": "100"], "MOUNT"),
        ("memory", [:], "memory:"),
    ])
    func nonDestructiveActionsRunOnTheHost(_ actionID: String, _ parameters: [String: String], _ expected: String)
        async throws
    {
        try await TestApp.run { test in
            let ssh = try #require(SSHFixture.current)
            let token = try await test.token("admin")
            let key = try JSONEncoder().encode([
                "name": "ed", "kind": "ssh_key", "username": ssh.user, "private_key": try ssh.key("id_ed25519"),
            ])
            _ = try await test.send(
                .POST, "/api/v1/credentials", bearer: token, json: String(decoding: key, as: UTF8.self))
            _ = try await test.send(
                .POST, "/api/v1/known-hosts", bearer: token, headers: ["Content-Type": "text/plain"],
                body: try ssh.keyscan(port: ssh.port))
            _ = try await test.send(
                .POST, "/api/v1/targets", bearer: token,
                json: #"{"name":"box","address":"\#(ssh.host)","port":\#(ssh.port),"credential":"ed"}"#)
            let tool = try #require(test.app.services.catalog.catalog.tool("system"))
            let action = try #require(tool.action(actionID))
            let values = try ParameterValidator.validate(parameters, against: action.parameters).get()
            let rendered = ScriptRenderer.render(
                action.script, interpreter: action.interpreter, values: values, specs: action.parameters)
            let target = try await TargetService(database: test.app.db, audit: test.audit, allowLocal: false).require(
                "box")
            let connector = TargetConnector(
                database: test.app.db,
                credentials: CredentialService(
                    database: test.app.db, vault: test.app.services.vault, audit: test.audit),
                hostKeys: DatabaseHostKeyStore(
                    service: KnownHostsService(database: test.app.db, audit: test.audit), audit: test.audit,
                    actor: .init(name: "test", source: .system)),
                allowLocal: false, logger: test.app.logger)
            let result = try await connector.run(
                target, ExecRequest(command: "sh -c " + ShellQuote.posix(rendered.text), timeout: .seconds(30)))
            #expect(result.exitStatus == 0, "\(actionID): \(result.stderr)")
            #expect(result.stdout.contains(expected), "\(actionID): \(result.stdout)")
        }
    }
}
