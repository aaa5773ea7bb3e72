import Testing

@testable import OpsCore

@Suite("Passwords never leak from inventories")
struct InventorySecretTests {
    static let secret = "hunter2-S3cret"

    /// Broken inventories holding the password, each next to the mistake that gets reported.
    static let brokenInventories: [(format: AnsibleInventoryFormat, text: String)] = [
        (.yaml, "all:\n  hosts:\n    db1:\n      ansible_password: \"\(secret)\n"),
        (.yaml, "all:\n  hosts:\n    db1: {ansible_password: \(secret), ansible_port: 0}\n"),
        (.yaml, "all:\n  hosts:\n    db1: {ansible_ssh_pass: \(secret), ansible_connection: telnet}\n"),
        (.yaml, "all:\n  vars:\n    ansible_password: \(secret)\n  children:\n    a:\n      children:\n        all:\n"),
        (.yaml, "all:\n  hosts:\n    db1:\n      ansible_password: \(secret)\n\tdb2:\n"),
        (.yaml, "all:\n  hosts:\n    db1: \(secret)\n"),
        (.ini, "[db]\ndb1 ansible_password='\(secret)\n"),
        (.ini, "[db]\ndb1 ansible_password = \(secret)\n"),
        (.ini, "[db:vars]\nansible_password \(secret)\n"),
        (.ini, "[db]\ndb1 ansible_password=\(secret) ansible_port=http\n"),
    ]

    @Test(arguments: 0..<brokenInventories.count)
    func errorsAndRejectionsNeverContainThePassword(_ index: Int) {
        // setup
        let (format, text) = Self.brokenInventories[index]

        // act
        var reported: [String] = []
        do {
            let inventory =
                try format == .yaml
                ? AnsibleInventoryParser.parseYAML(text) : AnsibleInventoryParser.parseINI(text)
            reported = inventory.rejections.map(\.description) + inventory.hosts.map(\.description)
        } catch {
            reported = [String(describing: error), String(reflecting: error)]
        }

        // assert
        #expect(!reported.isEmpty)
        for message in reported { #expect(!message.contains("hunter2"), "\(message)") }
    }

    @Test func hostDescriptionDumpAndReflectionRedactThePassword() throws {
        // setup
        let inventory = try AnsibleInventoryParser.parseYAML(
            "all:\n  hosts:\n    db1: {ansible_password: \(Self.secret)}\n")
        let host = try #require(inventory.host(named: "db1"))

        // act
        var dumped = ""
        dump(host, to: &dumped)
        let texts = [String(describing: host), String(reflecting: host), dumped, String(describing: inventory)]

        // assert
        #expect(host.password == Self.secret)
        for text in texts {
            #expect(!text.contains("hunter2"))
            #expect(text.contains("<redacted>"))
        }
    }

    @Test func secretLookingVariablesAreNotTags() throws {
        // act
        let host = try #require(
            try AnsibleInventoryParser.parseINI(
                "web1 db_password=\(Self.secret) api_token=abc client_secret=x env=prod\n"
            )
            .host(named: "web1"))

        // assert
        #expect(host.tags == ["env": "prod"])
    }
}
