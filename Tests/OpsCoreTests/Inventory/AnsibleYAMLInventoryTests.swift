import Testing

@testable import OpsCore

@Suite("Ansible YAML inventories")
struct AnsibleYAMLInventoryTests {
    @Test func readsTheProductionEstate() throws {
        // act
        let inventory = try AnsibleInventoryParser.parseYAML(InventoryFixtures.productionYAML)

        // assert
        try InventoryFixtures.expectProductionEstate(inventory)
    }

    @Test func hostsAndGroupsKeepTheirSourceLines() throws {
        // setup
        let text = InventoryFixtures.productionYAML

        // act
        let inventory = try AnsibleInventoryParser.parseYAML(text)

        // assert
        #expect(
            inventory.host(named: "db1.example.com")?.line == InventoryFixtures.line(of: "db1.example.com:", in: text))
        #expect(inventory.host(named: "web03.example.com")?.line == InventoryFixtures.line(of: "web[01:03]", in: text))
        #expect(inventory.group(named: "windows")?.line == InventoryFixtures.line(of: "windows:", in: text))
        #expect(inventory.hosts.first?.name == "bastion.example.com")
    }

    @Test func groupVariablesThatLookSecretAreNotListed() throws {
        // setup
        let text = """
            all:
              children:
                legacy:
                  vars:
                    ansible_password: hunter2
                    backup_token: abc
                    site: lon
                  hosts:
                    old1:
            """

        // act
        let inventory = try AnsibleInventoryParser.parseYAML(text)

        // assert
        #expect(inventory.group(named: "legacy")?.vars == ["site": "lon"])
        #expect(inventory.host(named: "old1")?.password == "hunter2")
        #expect(inventory.host(named: "old1")?.tags == ["site": "lon"])
    }

    @Test func groupsAtTheSameDepthAreLayeredByName() throws {
        // setup: Ansible merges sibling groups alphabetically, so "beta" overrides "alpha".
        let text = """
            beta:
              vars: {colour: blue}
              hosts: {shared1: }
            alpha:
              vars: {colour: red, size: large}
              hosts: {shared1: }
            """

        // act
        let host = try #require(try AnsibleInventoryParser.parseYAML(text).host(named: "shared1"))

        // assert
        #expect(host.tags == ["colour": "blue", "size": "large"])
        #expect(host.groups == ["alpha", "beta"])
    }

    @Test func hostPortSuffixAndStructuredVariables() throws {
        // setup
        let text = """
            all:
              hosts:
                jump.example.com:2222:
                  packages: [nginx, curl]
                  owner: ~
                  tier: 1
            """

        // act
        let host = try #require(try AnsibleInventoryParser.parseYAML(text).host(named: "jump.example.com"))

        // assert: lists and nulls are not tags; numbers are kept as written.
        #expect(host.port == 2222)
        #expect(host.tags == ["tier": "1"])
    }

    @Test func osFamilyVariableMarksWindowsOverSSH() throws {
        // setup
        let text = """
            all:
              hosts:
                win-ssh: {ansible_os_family: Windows, ansible_connection: ssh}
                lin: {ansible_connection: paramiko}
            """

        // act
        let inventory = try AnsibleInventoryParser.parseYAML(text)

        // assert
        #expect(inventory.host(named: "win-ssh")?.os == .windows)
        #expect(inventory.host(named: "win-ssh")?.transport == .ssh)
        #expect(inventory.host(named: "lin")?.os == .linux)
    }

    @Test func emptyDocumentIsAnEmptyInventory() throws {
        #expect(try AnsibleInventoryParser.parseYAML("# nothing yet\n") == ParsedInventory())
        #expect(try AnsibleInventoryParser.parseYAML("---\n~\n") == ParsedInventory())
    }

    @Test func badHostsAreRejectedAndTheRestIsImported() throws {
        // setup
        let text = """
            all:
              hosts:
                good1:
                badport: {ansible_port: 70000}
                wordport: {ansible_port: ssh}
                dockerhost: {ansible_connection: docker}
                bad_range[3:1]:
                "-dash":
                good2:
            """

        // act
        let inventory = try AnsibleInventoryParser.parseYAML(text)

        // assert
        #expect(inventory.hosts.map(\.name) == ["good1", "good2"])
        let byName = Dictionary(uniqueKeysWithValues: inventory.rejections.map { ($0.name ?? "", $0) })
        #expect(byName["badport"]?.line == 4)
        #expect(byName["badport"]?.reason.contains("70000") == true)
        #expect(byName["wordport"]?.reason.contains("between 1 and 65535") == true)
        #expect(byName["dockerhost"]?.reason.contains("'docker'") == true)
        #expect(byName["bad_range[3:1]"]?.reason.contains("starts after it ends") == true)
        #expect(byName["-dash"]?.reason.contains("must start with a letter or digit") == true)
        #expect(inventory.rejections.map(\.line) == [4, 5, 6, 7, 8])
    }

    @Test func vaultEncryptedPasswordIsRejectedWithoutTheCiphertext() throws {
        // setup
        let text = """
            all:
              hosts:
                vaulted:
                  ansible_password: !vault |
                    $ANSIBLE_VAULT;1.1;AES256
                    62313365396662343061393464336163383764373764613633653634306231386433626436623361
            """

        // act
        let inventory = try AnsibleInventoryParser.parseYAML(text)

        // assert
        let rejection = try #require(inventory.rejections.first)
        #expect(inventory.hosts.isEmpty)
        #expect(rejection.reason.contains("Ansible Vault"))
        #expect(!rejection.reason.contains("6231"))
    }
}
