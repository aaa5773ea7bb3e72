import Testing

@testable import OpsCore

/// `ansible_group_priority`: which group's variables win among groups at the same depth.
@Suite("Ansible group priority")
struct AnsibleGroupPriorityTests {
    @Test func higherPriorityBeatsTheAlphabeticallyLaterGroup() throws {
        // setup
        let text = """
            [alpha]
            both1
            [zeta]
            both1
            [alpha:vars]
            ansible_group_priority=10
            ansible_user=alpha-user
            [zeta:vars]
            ansible_user=zeta-user
            """

        // act
        let inventory = try AnsibleInventoryParser.parseINI(text)

        // assert: zeta would win by name; alpha's priority beats it, and is not a variable itself.
        #expect(inventory.host(named: "both1")?.user == "alpha-user")
        #expect(inventory.group(named: "alpha")?.vars == ["ansible_user": "alpha-user"])
    }

    @Test func depthComesBeforePriority() throws {
        // setup
        let text = """
            all:
              children:
                loud:
                  vars: { ansible_group_priority: 99, ansible_user: loud-user }
                  children:
                    quiet:
                      vars: { ansible_user: quiet-user }
                      hosts: { nested1: }
                negative:
                  vars: { ansible_group_priority: -5, ansible_user: negative-user }
                  hosts: { neg1: }
                aaa:
                  vars: { ansible_user: aaa-user }
                  hosts: { neg1: }
            """

        // act
        let inventory = try AnsibleInventoryParser.parseYAML(text)

        // assert
        #expect(inventory.host(named: "nested1")?.user == "quiet-user")
        #expect(inventory.host(named: "neg1")?.user == "aaa-user")
    }

    @Test func priorityThatIsNotAWholeNumberRefusesTheGroupsHosts() throws {
        // setup
        let text = "[web]\nweb1\n[db]\ndb1\n[web:vars]\nansible_group_priority=high\n"

        // act
        let inventory = try AnsibleInventoryParser.parseINI(text)

        // assert
        #expect(inventory.hosts.map(\.name) == ["db1"])
        #expect(
            inventory.rejections == [
                InventoryRejection(
                    line: 2, name: "web1",
                    reason: "group 'web' has ansible_group_priority 'high', which is not a whole number")
            ])
    }
}
