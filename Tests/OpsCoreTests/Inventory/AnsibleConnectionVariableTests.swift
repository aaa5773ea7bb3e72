import Testing

@testable import OpsCore

/// Which variable sets the address, port, login and password, as Ansible's connection plugins decide.
@Suite("Ansible connection variables")
struct AnsibleConnectionVariableTests {
    private func host(_ name: String, in text: String) throws -> InventoryHost {
        let inventory = try AnsibleInventoryParser.parseINI(text)
        #expect(inventory.rejections.isEmpty, "\(inventory.rejections)")
        return try #require(inventory.host(named: name))
    }

    @Test func legacySSHSpellingsWinWhereverTheyAreSet() throws {
        // setup: the host's own ansible_user against its group's ansible_ssh_user.
        let text = """
            [g]
            h1 ansible_host=192.0.2.2 ansible_ssh_host=192.0.2.3 ansible_port=2202 ansible_ssh_port=2203
            h2 ansible_user=newuser
            [g:vars]
            ansible_ssh_user=groupold
            """

        // act
        let h1 = try host("h1", in: text)
        let h2 = try host("h2", in: text)

        // assert
        #expect(h1.address == "192.0.2.3")
        #expect(h1.port == 2203)
        #expect(h2.user == "groupold")
    }

    @Test func winrmReadsItsOwnSpellingsAndNotTheSSHOnes() throws {
        // setup
        let text = """
            w1 ansible_connection=winrm ansible_ssh_port=22 ansible_ssh_user=ignored ansible_user=Administrator
            w2 ansible_connection=winrm ansible_host=192.0.2.6 ansible_winrm_host=192.0.2.7 ansible_winrm_port=5985 ansible_winrm_user=b ansible_user=a
            """

        // act
        let w1 = try host("w1", in: text)
        let w2 = try host("w2", in: text)

        // assert
        #expect(w1.port == nil)
        #expect(w1.user == "Administrator")
        #expect(w2.address == "192.0.2.7")
        #expect(w2.port == 5985)
        #expect(w2.user == "b")
    }

    @Test func passwordsFollowThePluginThenThePlayContext() throws {
        // setup
        let text = """
            s1 ansible_password=first ansible_ssh_pass=second
            w1 ansible_connection=winrm ansible_ssh_pass=through-play-context
            w2 ansible_connection=winrm ansible_ssh_pass=ignored ansible_winrm_password=own
            """

        // act, assert
        #expect(try host("s1", in: text).password == "second")
        #expect(try host("w1", in: text).password == "through-play-context")
        #expect(try host("w2", in: text).password == "own")
    }

    @Test func paramikoAndFullyQualifiedConnectionNames() throws {
        // setup
        let text = """
            p1 ansible_connection=paramiko ansible_ssh_port=2205 ansible_paramiko_port=2206
            q1 ansible_connection=ansible.builtin.ssh ansible_port=2207
            """

        // act, assert
        #expect(try host("p1", in: text).port == 2206)
        #expect(try host("q1", in: text).transport == .ssh)
        #expect(try host("q1", in: text).port == 2207)
    }

    @Test func localHostsReadNoAddressPortOrLogin() throws {
        // act
        let local = try host("control", in: "control ansible_connection=local ansible_host=10.9.9.9 ansible_port=x")

        // assert: not even a bad port is read, as Ansible's local plugin has none.
        #expect(local.transport == .local)
        #expect(local.address == "control")
        #expect(local.port == nil)
    }

    @Test func theWinningSpellingIsNamedWhenItIsWrong() throws {
        // act
        let inventory = try AnsibleInventoryParser.parseINI("h1 ansible_port=22 ansible_ssh_port=http")

        // assert
        #expect(
            inventory.rejections.first?.reason == "ansible_ssh_port 'http' is not a port number between 1 and 65535")
    }
}
