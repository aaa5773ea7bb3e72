import Testing

@testable import OpsCore

extension InventoryFixtures {
    /// What a user expects from importing the production estate, whichever format it was written in.
    static func expectProductionEstate(_ inventory: ParsedInventory, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        #expect(inventory.rejections.isEmpty, sourceLocation: sourceLocation)
        #expect(
            Set(inventory.hosts.map(\.name))
                == [
                    "bastion.example.com", "web01.example.com", "web02.example.com", "web03.example.com",
                    "db1.example.com", "wina.example.com", "winb.example.com",
                ], sourceLocation: sourceLocation)
        #expect(
            Set(inventory.groups.map(\.name)) == ["datacenter", "web", "db", "db_primary", "windows", "monitoring"],
            sourceLocation: sourceLocation)

        let bastion = try #require(inventory.host(named: "bastion.example.com"), sourceLocation: sourceLocation)
        // A local host runs on the controller: Ansible's local plugin reads no address, port or login.
        #expect(bastion.address == "bastion.example.com", sourceLocation: sourceLocation)
        #expect(bastion.transport == .local, sourceLocation: sourceLocation)
        #expect(bastion.groups.isEmpty, sourceLocation: sourceLocation)
        #expect(bastion.port == nil, sourceLocation: sourceLocation)
        #expect(bastion.user == nil, sourceLocation: sourceLocation)

        // web group's port beats all's; the datacenter key file and region reach web through children.
        let web01 = try #require(inventory.host(named: "web01.example.com"), sourceLocation: sourceLocation)
        #expect(web01.address == "web01.example.com", sourceLocation: sourceLocation)
        #expect(web01.port == 2222, sourceLocation: sourceLocation)
        #expect(web01.user == "deploy", sourceLocation: sourceLocation)
        #expect(web01.transport == nil, sourceLocation: sourceLocation)
        #expect(web01.os == .linux, sourceLocation: sourceLocation)
        #expect(web01.privateKeyFile == "/keys/dc.pem", sourceLocation: sourceLocation)
        #expect(web01.password == nil, sourceLocation: sourceLocation)
        #expect(web01.groups == ["datacenter", "monitoring", "web"], sourceLocation: sourceLocation)
        #expect(
            web01.tags == ["env": "prod", "region": "eu-west", "role": "web", "monitored": "true"],
            sourceLocation: sourceLocation)

        // The host's own port beats its group's; its own variable becomes a lower-cased tag.
        let web02 = try #require(inventory.host(named: "web02.example.com"), sourceLocation: sourceLocation)
        #expect(web02.port == 2200, sourceLocation: sourceLocation)
        #expect(web02.tags["team"] == "Payments", sourceLocation: sourceLocation)

        // db_primary sits below db, so its role wins; it also inherits datacenter through db.
        let db1 = try #require(inventory.host(named: "db1.example.com"), sourceLocation: sourceLocation)
        #expect(db1.address == "10.0.0.11", sourceLocation: sourceLocation)
        #expect(db1.tags["role"] == "db-primary", sourceLocation: sourceLocation)
        #expect(db1.groups == ["datacenter", "db", "db_primary", "monitoring"], sourceLocation: sourceLocation)
        #expect(db1.password == dbPassword, sourceLocation: sourceLocation)
        #expect(db1.privateKeyFile == "/keys/dc.pem", sourceLocation: sourceLocation)

        let winb = try #require(inventory.host(named: "winb.example.com"), sourceLocation: sourceLocation)
        #expect(winb.transport == .winrm, sourceLocation: sourceLocation)
        #expect(winb.os == .windows, sourceLocation: sourceLocation)
        #expect(winb.port == 5986, sourceLocation: sourceLocation)
        #expect(winb.user == "Administrator", sourceLocation: sourceLocation)
        // winrm reads no ansible_ssh_pass itself, but Ansible hands it over through the play context.
        #expect(winb.password == windowsPassword, sourceLocation: sourceLocation)
        #expect(winb.groups == ["windows"], sourceLocation: sourceLocation)

        let primary = try #require(inventory.group(named: "db_primary"), sourceLocation: sourceLocation)
        #expect(primary.directHosts == ["db1.example.com"], sourceLocation: sourceLocation)
        #expect(inventory.group(named: "db")?.children == ["db_primary"], sourceLocation: sourceLocation)
        #expect(
            inventory.group(named: "web")?.vars == ["role": "web", "ansible_port": "2222"],
            sourceLocation: sourceLocation)
    }
}
