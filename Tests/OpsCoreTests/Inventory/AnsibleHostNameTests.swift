import Testing

@testable import OpsCore

/// Host names Ansible accepts without `ansible_host`: underscores and bare IPv6 addresses.
@Suite("Ansible host names")
struct AnsibleHostNameTests {
    @Test func underscoredNamesDoubleAsTheirAddress() throws {
        // act
        let inventory = try AnsibleInventoryParser.parseINI("some_host\ndb_primary:2222\napp_[1:2]_web\n")

        // assert
        #expect(inventory.rejections.isEmpty)
        #expect(inventory.hosts.map(\.name) == ["some_host", "db_primary", "app_1_web", "app_2_web"])
        #expect(inventory.host(named: "db_primary")?.address == "db_primary")
        #expect(inventory.host(named: "db_primary")?.port == 2222)
    }

    @Test func bareIPv6AddressesAreHostsAndBracketsCarryAPort() throws {
        // setup
        let text = """
            [v6]
            2001:db8::10
            [2001:db8::11]:2222
            fe80::1 ansible_user=v6user
            """

        // act
        let inventory = try AnsibleInventoryParser.parseINI(text)

        // assert
        #expect(inventory.rejections.isEmpty)
        #expect(inventory.hosts.map(\.name) == ["2001:db8::10", "2001:db8::11", "fe80::1"])
        #expect(inventory.host(named: "2001:db8::10")?.port == nil)
        #expect(inventory.host(named: "2001:db8::11")?.address == "2001:db8::11")
        #expect(inventory.host(named: "2001:db8::11")?.port == 2222)
        #expect(inventory.host(named: "fe80::1")?.groups == ["v6"])
    }

    @Test(arguments: [
        ("web[01:02]:2200", "web[01:02]", "2200"), ("[2001:db8::1]:22", "2001:db8::1", "22"),
        ("2001:db8::1", "2001:db8::1", nil), ("[web01]:2201", "web01", "2201"), ("host:", "host:", nil),
        ("[2001:db8::1]", "[2001:db8::1]", nil),
    ])
    func portsAreSplitAsAnsibleDoes(_ pattern: String, host: String, port: String?) {
        let split = AnsibleInventoryDraft.splitPort(pattern)
        #expect(split.host == host)
        #expect(split.port == port)
    }

    @Test func bracketsWithoutAPortAreNotAHost() throws {
        // act
        let inventory = try AnsibleInventoryParser.parseYAML("all:\n  hosts:\n    \"[2001:db8::1]\":\n    ok1:\n")

        // assert
        #expect(inventory.hosts.map(\.name) == ["ok1"])
        #expect(inventory.rejections.first?.name == "[2001:db8::1]")
    }
}
