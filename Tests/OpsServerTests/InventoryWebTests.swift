import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("Inventory web pages")
struct InventoryWebTests {
    @Test func targetListSearchesAndFilters() async throws {
        try await TestApp.run { test in
            try await InventoryFixtures.seed(test)
            let vera = try await test.session("vera")
            let all = try await test.send(.GET, "/targets", session: vera)
            #expect(all.status == .ok)
            #expect(all.text.contains("3 targets"))
            #expect(!all.text.contains("Add target"), "viewers cannot add")
            let filtered = try await test.send(.GET, "/targets?selector=role%3Ddb", session: vera)
            #expect(filtered.text.contains(">1 target<"))
            #expect(filtered.text.contains("db01"))
            let bad = try await test.send(.GET, "/targets?selector=%3D%3D", session: vera)
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("flash-error"))
        }
    }

    @Test func adminAddsEditsAndDeletesATargetThroughForms() async throws {
        try await TestApp.run { test in
            try await InventoryFixtures.seed(test)
            let admin = try await test.session("admin")
            let created = try await test.send(
                .POST, "/inventory/new-target", session: admin,
                form: [
                    "name": "cache01", "address": "10.4.0.1", "port": "", "transport": "ssh", "os": "linux",
                    "credential": "deploy", "tags": "env=prod, role=cache", "host_key_policy": "", "jump": "web01",
                ])
            #expect(created.status == .seeOther)
            #expect(created.headers.first(name: .location) == "/targets/cache01")
            let page = try await test.send(.GET, "/targets/cache01", session: admin)
            #expect(page.text.contains("role=cache"))
            #expect(page.text.contains("Test connection"))
            let edited = try await test.send(
                .POST, "/targets/cache01", session: admin,
                form: ["address": "10.4.0.2", "port": "abc", "transport": "ssh", "os": "linux", "tags": ""])
            #expect(edited.status == .badRequest)
            #expect(edited.text.contains("port: must be a number"))
            let saved = try await test.send(
                .POST, "/targets/cache01", session: admin,
                form: ["address": "10.4.0.2", "port": "2022", "transport": "ssh", "os": "linux", "tags": "env=stage"])
            #expect(saved.status == .seeOther)
            let target = try await TargetService(database: test.app.db, audit: test.audit, allowLocal: false).require(
                "cache01")
            #expect(target.port == 2022 && target.tags == ["env": "stage"] && target.$jumpTarget.id == nil)
            #expect(
                try await test.send(.POST, "/targets/cache01/delete", session: admin, form: [:]).status == .seeOther)
            #expect(try await Target.query(on: test.app.db).filter(\.$name == "cache01").count() == 0)
        }
    }

    @Test func invalidNewTargetKeepsTheFormAndSaysWhy() async throws {
        try await TestApp.run { test in
            let admin = try await test.session("admin")
            let response = try await test.send(
                .POST, "/inventory/new-target", session: admin,
                form: ["name": "ok-name", "address": "bad address", "transport": "ssh"])
            #expect(response.status == .badRequest)
            #expect(response.text.contains("address:"))
            #expect(response.text.contains("value=\"ok-name\""))
        }
    }

    @Test func groupsCredentialsAndKnownHostsPages() async throws {
        try await TestApp.run { test in
            try await InventoryFixtures.seed(test)
            let admin = try await test.session("admin")
            let group = try await test.send(.GET, "/inventory/groups/web", session: admin)
            #expect(group.text.contains("web01") && group.text.contains("(by selector)"))
            let newGroup = try await test.send(
                .POST, "/inventory/groups", session: admin,
                form: ["name": "edge", "selector": "role=web", "description": "edge"])
            #expect(newGroup.status == .seeOther)
            let badGroup = try await test.send(
                .POST, "/inventory/groups", session: admin, form: ["name": "edge2", "selector": "=="])
            #expect(badGroup.status == .badRequest)
            let credential = try await test.send(
                .POST, "/inventory/credentials", session: admin,
                form: ["name": "web-pw", "kind": "ssh_password", "username": "ops", "password": "page-secret-123"])
            #expect(credential.status == .seeOther)
            let list = try await test.send(.GET, "/inventory/credentials", session: admin)
            #expect(list.text.contains("web-pw"))
            #expect(!list.text.contains("page-secret-123"))
            let hosts = try await test.send(
                .POST, "/inventory/known-hosts", session: admin, form: ["known_hosts": "garbage line"])
            #expect(hosts.status == .ok)
            #expect(hosts.text.contains("1 rejected"))
            let empty = try await test.send(.POST, "/inventory/known-hosts", session: admin, form: ["known_hosts": " "])
            #expect(empty.status == .badRequest)
        }
    }

    @Test func testConnectionReportsTheFailedStage() async throws {
        try await TestApp.run { test in
            let admin = try await test.token("admin")
            _ = try await test.send(
                .POST, "/api/v1/credentials", bearer: admin,
                json: #"{"name":"pw","kind":"ssh_password","username":"u","password":"p","is_default":true}"#)
            _ = try await test.send(
                .POST, "/api/v1/targets", bearer: admin, json: #"{"name":"closed","address":"127.0.0.1","port":1}"#)
            let result = try await test.send(
                .POST, "/api/v1/targets/closed/test", bearer: try await test.token("oscar"))
            #expect(result.status == .ok)
            let body = try result.json()
            #expect(body["ok"] as? Bool == false)
            #expect(body["failed_stage"] as? String == "connect")
            let page = try await test.send(
                .POST, "/targets/closed/test", session: try await test.session("oscar"), form: [:])
            #expect(page.text.contains("Connection failed at connect"))
            let audited = try await AuditEntry.query(on: test.app.db).filter(\.$action == "target.test").all()
            #expect(audited.map(\.source).sorted() == ["api", "web"])
            #expect(
                audited.allSatisfy {
                    $0.object == "target:closed" && $0.details?.contains(#""stage":"connect""#) == true
                })
            let nocred = try await test.send(
                .POST, "/api/v1/targets", bearer: admin, json: #"{"name":"x2","address":"127.0.0.1","port":1}"#)
            #expect(nocred.status == .created)
        }
    }
}
