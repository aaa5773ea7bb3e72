import Testing

@testable import OpsCore

/// A YAML inventory with one part that is not shaped like an inventory loses that part, never the file.
@Suite("Ansible YAML entries refused one by one")
struct AnsibleYAMLEntryRejectionTests {
    @Test func hostsWrittenAsOneNameIsThatHost() throws {
        // setup: the YAML plugin turns `hosts: h1` into `hosts: {h1: }`, and so for children and vars.
        let text = """
            all:
              hosts: lone1
              children:
                single:
                  hosts: "h1:2202"
                wrapper:
                  children: single
                  vars: flag
            """

        // act
        let inventory = try AnsibleInventoryParser.parseYAML(text)

        // assert
        #expect(inventory.rejections.isEmpty)
        #expect(inventory.hosts.map(\.name) == ["lone1", "h1"])
        #expect(inventory.host(named: "h1")?.port == 2202)
        #expect(inventory.host(named: "h1")?.groups == ["single", "wrapper"])
        #expect(inventory.group(named: "wrapper")?.children == ["single"])
    }

    @Test func groupWrittenAsAListIsRefusedAndTheRestIsImported() throws {
        // setup
        let text = "all:\n  children:\n    web:\n      - web1\n      - web2\n    db:\n      hosts:\n        db1:\n"

        // act
        let inventory = try AnsibleInventoryParser.parseYAML(text)

        // assert
        #expect(inventory.hosts.map(\.name) == ["db1"])
        #expect(
            inventory.rejections == [
                InventoryRejection(
                    line: 3, name: nil,
                    reason: "group 'web' is a list, but must be a mapping with hosts, vars or children; it was skipped")
            ])
    }

    @Test func hostsWrittenAsAListIsRefusedAndTheGroupsOtherSectionsKept() throws {
        // setup: Ansible refuses the whole file here; PCM-Ops only this section.
        let text = "web:\n  hosts:\n    - web1\n  vars:\n    ansible_user: deploy\nother:\n  hosts:\n    o1:\n"

        // act
        let inventory = try AnsibleInventoryParser.parseYAML(text)

        // assert
        #expect(inventory.hosts.map(\.name) == ["o1"])
        #expect(inventory.group(named: "web")?.vars == ["ansible_user": "deploy"])
        #expect(inventory.rejections.map(\.line) == [2])
        #expect(
            inventory.rejections.first?.reason
                == "hosts of 'web' is a list, but must be a mapping of host names, or one host name; it was skipped")
    }

    @Test(arguments: [
        ("web:\n  vars:\n    - a\n  hosts:\n    w1:\n", "vars of 'web' is a list"),
        ("web:\n  children:\n    - a\n  hosts:\n    w1:\n", "children of 'web' is a list"),
        ("web: just-a-name\nother:\n  hosts:\n    w1:\n", "group 'web' must be a mapping"),
    ])
    func otherMisshapenSectionsAreRefusedOnTheirOwn(_ text: String, reason: String) throws {
        // act
        let inventory = try AnsibleInventoryParser.parseYAML(text)

        // assert
        #expect(inventory.hosts.map(\.name) == ["w1"])
        #expect(inventory.rejections.count == 1)
        #expect(inventory.rejections.first?.reason.hasPrefix(reason) == true, "\(inventory.rejections)")
    }

    @Test func misspelledGroupKeyIsRefusedWithItsLine() throws {
        // setup
        let text = "web:\n  host:\n    web1:\n  hosts:\n    web2:\n"

        // act
        let inventory = try AnsibleInventoryParser.parseYAML(text)

        // assert
        #expect(inventory.hosts.map(\.name) == ["web2"])
        #expect(inventory.rejections.map(\.line) == [2])
        #expect(inventory.rejections.first?.reason.contains("unexpected key 'host'") == true)
    }
}
