import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("Inventory API: targets, groups, credentials")
struct InventoryAPITests {
    @Test func adminCreatesReadsUpdatesAndDeletesATarget() async throws {
        try await TestApp.run { test in
            let token = try await test.token("admin")
            let created = try await test.send(
                .POST, "/api/v1/targets", bearer: token,
                json:
                    #"{"name":"app01","address":"10.0.0.5","tags":{"env":"stage","role":"app"},"host_key_policy":"accept-new"}"#
            )
            #expect(created.status == .created)
            let body = try created.json()
            #expect(body["port"] as? Int == 22)
            #expect(body["transport"] as? String == "ssh")
            #expect(body["os"] as? String == "linux")
            #expect((body["tags"] as? [String: String])?["role"] == "app")
            #expect(body["source"] as? String == "manual")

            let patched = try await test.send(
                .PATCH, "/api/v1/targets/app01", bearer: token, json: #"{"port":2200,"os":"windows"}"#)
            #expect(patched.status == .ok)
            #expect(try patched.json()["port"] as? Int == 2200)
            let viewer = try await test.token("vera")
            let read = try await test.send(.GET, "/api/v1/targets/app01", bearer: viewer)
            #expect(try read.json()["os"] as? String == "windows")

            #expect(try await test.send(.DELETE, "/api/v1/targets/app01", bearer: token).status == .noContent)
            #expect(try await test.send(.GET, "/api/v1/targets/app01", bearer: viewer).status == .notFound)
            let actions = try await AuditEntry.query(on: test.app.db).filter(\.$object == "target:app01").all().map(
                \.action)
            #expect(actions == ["target.create", "target.update", "target.delete"])
        }
    }

    @Test(arguments: [
        (#"{"name":"bad name"}"#, HTTPStatus.badRequest, "name"),
        (#"{"name":"x1","port":70000}"#, .badRequest, "port"),
        (#"{"name":"x1","transport":"telnet"}"#, .badRequest, "transport"),
        (#"{"name":"x1","os":"solaris"}"#, .badRequest, "os"),
        (#"{"name":"x1","address":"not an address!"}"#, .badRequest, "address"),
        (#"{"name":"x1","credential":"nope"}"#, .notFound, "credential"),
        (#"{"name":"x1","transport":"local"}"#, .unprocessableEntity, "--allow-local"),
        (#"{"name":"x1","address":null}"#, .badRequest, "address: must not be null"),
        (#"{"name":"0123"}"#, .badRequest, "address"),
        (#"{"name":"x1","jump":"x1"}"#, .badRequest, "own jump host"),
        (#"{"name":"x1","jump":"ghost"}"#, .notFound, "ghost"),
        (#"{"name":"x1","host_key_policy":"yolo"}"#, .badRequest, "host_key_policy"),
        (#"{"name":"x1","tags":{"bad key!":"v"}}"#, .badRequest, "tags"),
        (#"{"name":"web01"}"#, .conflict, "already exists"),
        (#"{"address":"10.0.0.1"}"#, .badRequest, "name"),
    ])
    func badTargetsAreRefusedWithAReason(_ body: String, _ status: HTTPStatus, _ mentions: String) async throws {
        try await TestApp.run { test in
            try await InventoryFixtures.seed(test)
            let response = try await test.send(
                .POST, "/api/v1/targets", bearer: try await test.token("admin"), json: body)
            #expect(response.status == status, "\(body)")
            #expect((try response.json()["detail"] as? String)?.contains(mentions) == true, "\(body): \(response.text)")
            #expect(try await Target.query(on: test.app.db).count() == 3)
        }
    }

    @Test func localTargetsNeedAllowLocal() async throws {
        try await TestApp.run(configure: { $0.allowLocal = true }) { test in
            let response = try await test.send(
                .POST, "/api/v1/targets", bearer: try await test.token("admin"),
                json: #"{"name":"self","transport":"local"}"#)
            #expect(response.status == .created)
            #expect(try response.json()["port"] as? Int == 0)
            let result = try await test.send(.POST, "/api/v1/targets/self/test", bearer: try await test.token("oscar"))
            #expect(try result.json()["ok"] as? Bool == true, "\(result.text)")
        }
    }

    @Test func jumpLoopsAndDeletingABastionInUseAreRefused() async throws {
        try await TestApp.run { test in
            try await InventoryFixtures.seed(test)
            let token = try await test.token("admin")
            #expect(
                try await test.send(.PATCH, "/api/v1/targets/web01", bearer: token, json: #"{"jump":"web02"}"#).status
                    == .ok)
            let loop = try await test.send(.PATCH, "/api/v1/targets/web02", bearer: token, json: #"{"jump":"web01"}"#)
            #expect(loop.status == .badRequest)
            #expect(loop.text.contains("loop"))
            let delete = try await test.send(.DELETE, "/api/v1/targets/web02", bearer: token)
            #expect(delete.status == .conflict)
            #expect(delete.text.contains("web01"))
        }
    }

    @Test(arguments: [
        ("q=web", ["web01", "web02"]), ("selector=role%3Ddb", ["db01"]), ("selector=role!%3Dweb", ["db01"]),
        ("group=web", ["web01", "web02"]), ("group=static", ["db01"]), ("os=linux&q=02", ["web02"]),
        ("transport=winrm", []), ("q=db01.example", ["db01"]),
    ])
    func listFilters(_ query: String, _ expected: [String]) async throws {
        try await TestApp.run { test in
            try await InventoryFixtures.seed(test)
            let response = try await test.send(.GET, "/api/v1/targets?\(query)", bearer: try await test.token("vera"))
            #expect(response.status == .ok)
            let names = (try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [[String: Any]])?
                .compactMap { $0["name"] as? String }
            #expect(names == expected, "\(query)")
        }
    }

    @Test(arguments: ["selector=%3D%3D", "os=beos", "transport=pigeon", "group=nosuch"])
    func badFiltersAre4xx(_ query: String) async throws {
        try await TestApp.run { test in
            try await InventoryFixtures.seed(test)
            let response = try await test.send(.GET, "/api/v1/targets?\(query)", bearer: try await test.token("vera"))
            #expect([HTTPStatus.badRequest, .notFound].contains(response.status), "\(query): \(response.status)")
        }
    }

    @Test func groupsCombineStaticMembersAndSelectors() async throws {
        try await TestApp.run { test in
            try await InventoryFixtures.seed(test)
            let token = try await test.token("admin")
            let created = try await test.send(
                .POST, "/api/v1/groups", bearer: token,
                json: #"{"name":"cis","selector":"env=prod,role=web","members":["db01"]}"#)
            #expect(created.status == .created)
            let body = try created.json()
            #expect(body["members"] as? [String] == ["db01", "web01", "web02"])
            #expect(body["static_members"] as? [String] == ["db01"])
            let bad = try await test.send(
                .POST, "/api/v1/groups", bearer: token, json: #"{"name":"x","members":["ghost"]}"#)
            #expect(bad.status == .notFound)
            let badSelector = try await test.send(
                .POST, "/api/v1/groups", bearer: token, json: #"{"name":"y","selector":"=x"}"#)
            #expect(badSelector.status == .badRequest)
            #expect(try await TargetGroup.query(on: test.app.db).count() == 3)
        }
    }

    @Test func credentialsAreWriteOnly() async throws {
        try await TestApp.run { test in
            let token = try await test.token("admin")
            let key = try InventoryFixtures.generateKey()
            let body = try JSONEncoder().encode([
                "name": "ops-key", "kind": "ssh_key", "username": "ops", "private_key": key,
            ])
            let created = try await test.send(
                .POST, "/api/v1/credentials", bearer: token, json: String(decoding: body, as: UTF8.self))
            #expect(created.status == .created)
            #expect((try created.json()["summary"] as? String)?.hasPrefix("ssh-ed25519 SHA256:") == true)
            let pw = try await test.send(
                .POST, "/api/v1/credentials", bearer: token,
                json: #"{"name":"pw","kind":"ssh_password","username":"ops","password":"hunter2-very-secret"}"#)
            #expect(pw.status == .created)
            let list = try await test.send(.GET, "/api/v1/credentials", bearer: token)
            let page = try await test.send(.GET, "/inventory/credentials", session: try await test.session("admin"))
            let audit = try await AuditEntry.query(on: test.app.db).all().map {
                "\($0.details ?? "") \($0.object ?? "")"
            }
            for haystack in [created.text, pw.text, list.text, page.text] + audit {
                #expect(!haystack.contains("hunter2-very-secret"))
                #expect(!haystack.contains("PRIVATE KEY"))
            }
            let stored = try #require(try await Credential.query(on: test.app.db).filter(\.$name == "pw").first())
            #expect(!String(decoding: stored.ciphertext, as: UTF8.self).contains("hunter2"))
            let opened = try CredentialService(database: test.app.db, vault: test.app.services.vault, audit: test.audit)
                .open(stored)
            #expect(opened == .sshPassword("hunter2-very-secret"))
        }
    }

    @Test func badCredentialsAreRefused() async throws {
        try await TestApp.run { test in
            let token = try await test.token("admin")
            let encrypted = try InventoryFixtures.generateKey(passphrase: "right passphrase")
            // A key the server cannot read is well formed for openapi.yaml: 422. A missing field is a 400.
            let cases: [([String: String], HTTPStatus, String)] = [
                (
                    ["name": "k", "kind": "ssh_key", "username": "u", "private_key": "garbage"], .unprocessableEntity,
                    "private_key"
                ),
                (
                    ["name": "k", "kind": "ssh_key", "username": "u", "private_key": encrypted, "passphrase": "wrong"],
                    .unprocessableEntity, "passphrase"
                ),
                (
                    ["name": "k", "kind": "ssh_key", "username": "u", "private_key": encrypted], .unprocessableEntity,
                    "passphrase"
                ),
                (["name": "k", "kind": "ssh_key", "username": "u"], .badRequest, "private_key"),
                (["name": "k", "kind": "ssh_password", "username": "u"], .badRequest, "password"),
                (
                    ["name": "k", "kind": "aws_keys", "username": "AKIA1", "password": "s"], .badRequest,
                    "aws_environment"
                ),
                (["name": "k", "kind": "telepathy", "username": "u", "password": "x"], .badRequest, "kind"),
                (["name": "k", "kind": "ssh_password", "username": "u v", "password": "x"], .badRequest, "username"),
            ]
            for (fields, status, mentions) in cases {
                let body = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
                let response = try await test.send(.POST, "/api/v1/credentials", bearer: token, json: body)
                #expect(response.status == status, "\(mentions): \(response.text)")
                #expect(response.text.lowercased().contains(mentions), "\(mentions): \(response.text)")
                #expect(!response.text.contains("right passphrase"))
            }
            #expect(try await Credential.query(on: test.app.db).count() == 0)
        }
    }

    @Test func rsaKeysAreKeptForTheOpenSSHTransport() async throws {
        try await TestApp.run { test in
            let key = try InventoryFixtures.generateKey(type: "rsa")
            let body = String(
                decoding: try JSONEncoder().encode([
                    "name": "rsa", "kind": "ssh_key", "username": "u", "private_key": key,
                ]), as: UTF8.self)
            let response = try await test.send(
                .POST, "/api/v1/credentials", bearer: try await test.token("admin"), json: body)
            #expect(response.status == .created)
            #expect((try response.json()["summary"] as? String)?.contains("openssh transport only") == true)
        }
    }

    @Test func secondAWSKeysForAnEnvironmentAre409() async throws {
        try await TestApp.run { test in
            // setup
            let token = try await test.token("admin")
            let keys =
                #"{"name":"NAME","kind":"aws_keys","username":"AKIAEXAMPLE","password":"s3cret","aws_environment":"gov"}"#
            let first = try await test.send(
                .POST, "/api/v1/credentials", bearer: token, json: keys.replacingOccurrences(of: "NAME", with: "a"))
            #expect(first.status == .created, "\(first.text)")
            // act
            let second = try await test.send(
                .POST, "/api/v1/credentials", bearer: token, json: keys.replacingOccurrences(of: "NAME", with: "b"))
            // assert
            #expect(second.status == .conflict)
            #expect(second.text.contains("already holds the gov keys"), "\(second.text)")
        }
    }

    /// On an object's own path, 404 is for that object; a credential, jump host or member the PATCH body
    /// names that does not exist is a 422.
    @Test func patchesNamingMissingObjectsAre422() async throws {
        try await TestApp.run { test in
            try await InventoryFixtures.seed(test)
            let token = try await test.token("admin")
            let cases: [(String, String, HTTPStatus, String)] = [
                (
                    "/api/v1/targets/web01", #"{"credential":"nope"}"#, .unprocessableEntity,
                    "no credential named 'nope'"
                ),
                ("/api/v1/targets/web01", #"{"jump":"ghost"}"#, .unprocessableEntity, "ghost"),
                ("/api/v1/groups/web", #"{"members":["ghost"]}"#, .unprocessableEntity, "ghost"),
                ("/api/v1/groups/web", #"{"credential":"nope"}"#, .unprocessableEntity, "nope"),
                ("/api/v1/targets/gone", #"{"credential":"nope"}"#, .notFound, "gone"),
                ("/api/v1/groups/gone", #"{"members":["ghost"]}"#, .notFound, "gone"),
            ]
            for (path, body, status, mentions) in cases {
                let response = try await test.send(.PATCH, path, bearer: token, json: body)
                #expect(response.status == status, "\(path) \(body): \(response.text)")
                #expect(response.text.contains(mentions), "\(path) \(body): \(response.text)")
            }
        }
    }

    @Test func testingTargetsNeedsTargetsOrAGroupWithMembers() async throws {
        try await TestApp.run { test in
            try await InventoryFixtures.seed(test)
            let admin = try await test.token("admin")
            let empty = try await test.send(.POST, "/api/v1/groups", bearer: admin, json: #"{"name":"empty"}"#)
            #expect(empty.status == .created)
            let token = try await test.token("oscar")
            let cases: [(String, HTTPStatus, String)] = [
                ("{}", .badRequest, "targets"),
                (#"{"targets":[]}"#, .badRequest, "at least one target"),
                (#"{"group":null}"#, .badRequest, "group: must not be null"),
                (#"{"group":"empty"}"#, .unprocessableEntity, "no members"),
                (#"{"group":"nosuch"}"#, .notFound, "nosuch"),
            ]
            for (body, status, mentions) in cases {
                let response = try await test.send(.POST, "/api/v1/targets/test", bearer: token, json: body)
                #expect(response.status == status, "\(body): \(response.text)")
                #expect(response.text.contains(mentions), "\(body): \(response.text)")
            }
        }
    }
}
