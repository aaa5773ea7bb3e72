import Testing

@testable import OpsCore

@Suite("Ansible INI inventories")
struct AnsibleINIInventoryTests {
    @Test func readsTheProductionEstate() throws {
        // act
        let inventory = try AnsibleInventoryParser.parseINI(InventoryFixtures.productionINI)

        // assert
        try InventoryFixtures.expectProductionEstate(inventory)
    }

    @Test func yamlAndINIGiveTheSameHosts() throws {
        // act
        let yaml = try AnsibleInventoryParser.parseYAML(InventoryFixtures.productionYAML)
        let ini = try AnsibleInventoryParser.parseINI(InventoryFixtures.productionINI)

        // assert: only the source lines differ.
        func withoutLines(_ inventory: ParsedInventory) -> [String: InventoryHost] {
            Dictionary(
                uniqueKeysWithValues: inventory.hosts.map { host in
                    var copy = host
                    copy.line = 0
                    return (host.name, copy)
                })
        }
        #expect(withoutLines(yaml) == withoutLines(ini))
    }

    @Test func hostLinesKeepTheirSourceLine() throws {
        // setup
        let text = InventoryFixtures.productionINI

        // act
        let inventory = try AnsibleInventoryParser.parseINI(text)

        // assert: the first line a host appears on, even when it is listed again under [monitoring].
        #expect(inventory.host(named: "web01.example.com")?.line == InventoryFixtures.line(of: "web[01:03]", in: text))
        #expect(inventory.host(named: "db1.example.com")?.line == 13)
        #expect(inventory.group(named: "monitoring")?.line == InventoryFixtures.line(of: "[monitoring]", in: text))
    }

    @Test func quotingCommentsAndUngroupedHosts() throws {
        // setup
        let text = """
            ; leading comment
            loose1 description="rack 4, row B" owner='ops team'   # trailing comment
            loose2:2200

            [all]
            everywhere1

            [apps]
            app1 path=C:\\\\apps motto="say \\"hi\\""
            """

        // act
        let inventory = try AnsibleInventoryParser.parseINI(text)

        // assert
        #expect(inventory.rejections.isEmpty)
        let loose1 = try #require(inventory.host(named: "loose1"))
        #expect(loose1.groups.isEmpty)
        #expect(loose1.tags == ["owner": "ops team"])  // "rack 4, row B" holds a comma, so it cannot be a tag
        #expect(inventory.host(named: "loose2")?.port == 2200)
        #expect(inventory.host(named: "everywhere1")?.groups == [])
        #expect(inventory.host(named: "app1")?.tags == ["path": "C:\\apps", "motto": "say \"hi\""])
        #expect(inventory.groups.map(\.name) == ["apps"])
    }

    @Test func badHostLinesAreRejectedAndTheRestIsImported() throws {
        // setup
        let text = """
            [web]
            web1 ansible_port=0
            web2 ansible_connection=telnet
            web3 ansible_host=bad_host!
            web4 note="never closed
            web[x:1]
            web5
            """

        // act
        let inventory = try AnsibleInventoryParser.parseINI(text)

        // assert
        #expect(inventory.hosts.map(\.name) == ["web5"])
        #expect(inventory.rejections.map(\.line) == [2, 3, 4, 5, 6])
        #expect(inventory.rejections.map(\.name) == ["web1", "web2", "web3", "web4", "web[x:1]"])
        #expect(inventory.rejections[1].reason.contains("'telnet' is not supported"))
        #expect(inventory.rejections[3].reason.contains("never closed"))
        #expect(inventory.rejections[4].reason.contains("mixes a letter and a number"))
    }

    @Test func passwordWrittenWithAStraySpaceIsNotEchoed() throws {
        // setup: "ansible_password= hunter2" makes "hunter2" a word of its own.
        let text = "[db]\ndb1 ansible_password= hunter2-S3cret\n"

        // act
        let inventory = try AnsibleInventoryParser.parseINI(text)

        // assert
        let rejection = try #require(inventory.rejections.first)
        #expect(rejection.line == 2)
        #expect(rejection.reason == "host variable 2 is not a key=value assignment")
        #expect(!rejection.description.contains("hunter2"))
    }

    @Test(arguments: [
        ("hosts.yml", "[web]\nweb1\n", AnsibleInventoryFormat.yaml),
        ("inventory.YAML", "", .yaml),
        ("hosts.ini", "all:\n  hosts:\n", .ini),
        ("ansible.cfg", "", .ini),
        ("hosts", "# comment\nall:\n  hosts:\n", .yaml),
        ("hosts", "---\nall:\n", .yaml),
        ("hosts", "\n; comment\n[web]\nweb1\n", .ini),
        ("hosts", "web1 ansible_host=10.0.0.1\n", .ini),
        ("hosts.txt", "web1:2222\n", .ini),
        ("inventory.txt", "web:\n  hosts:\n", .yaml),
        ("hosts", "all:  # a=b\n  hosts:\n", .yaml),
    ])
    func detectsTheFormat(_ fileName: String, _ text: String, expected: AnsibleInventoryFormat) {
        #expect(AnsibleInventoryParser.detectFormat(text, fileName: fileName) == expected)
    }

    @Test func largestRangeImportsEveryHost() throws {
        // act
        let inventory = try AnsibleInventoryParser.parseINI("[fleet]\nnode[00001:10000] ansible_user=ops\nnode00001\n")

        // assert
        #expect(inventory.hosts.count == 10_000)
        #expect(inventory.hosts.last?.name == "node10000")
        #expect(inventory.group(named: "fleet")?.directHosts.count == 10_000)
    }

    @Test func parseUsesTheDetectedFormat() throws {
        // act
        let fromYAML = try AnsibleInventoryParser.parse(InventoryFixtures.productionYAML, fileName: nil)
        let fromINI = try AnsibleInventoryParser.parse(InventoryFixtures.productionINI, fileName: "/etc/ansible/hosts")

        // assert
        #expect(fromYAML.hosts.count == 7)
        #expect(fromINI.hosts.count == 7)
    }
}
