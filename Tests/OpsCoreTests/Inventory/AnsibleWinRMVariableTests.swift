import Testing

@testable import OpsCore

/// How an Ansible `winrm` or `psrp` host says to reach it: authentication, scheme, certificate checks.
@Suite("Ansible WinRM variables")
struct AnsibleWinRMVariableTests {
    private func parse(_ text: String) throws -> ParsedInventory {
        try AnsibleInventoryParser.parseINI(text)
    }

    private func host(_ name: String, in text: String) throws -> InventoryHost {
        let inventory = try parse(text)
        #expect(inventory.rejections.isEmpty, "\(inventory.rejections)")
        return try #require(inventory.host(named: name))
    }

    @Test func transportSchemeAndCertificateChecksAreRead() throws {
        // setup
        let text = #"""
            w1 ansible_connection=winrm ansible_winrm_transport=ntlm ansible_winrm_scheme=http ansible_port=5985
            w2 ansible_connection=winrm ansible_winrm_transport=basic ansible_winrm_server_cert_validation=ignore
            w3 ansible_connection=winrm ansible_winrm_transport=kerberos,ntlm ansible_winrm_ca_trust_path=/etc/ca.pem
            w4 ansible_connection=winrm ansible_winrm_transport=ssl ansible_winrm_server_cert_validation=validate
            w5 ansible_connection=winrm ansible_winrm_transport=plaintext
            """#

        // act
        let w1 = try host("w1", in: text)
        let w2 = try host("w2", in: text)
        let w3 = try host("w3", in: text)
        let w4 = try host("w4", in: text)
        let w5 = try host("w5", in: text)

        // assert
        #expect(w1.winrm == WinRMHostSettings(authentication: "ntlm", scheme: "http"))
        #expect(w2.winrm == WinRMHostSettings(authentication: "basic", verifyCertificates: false))
        #expect(w3.winrm == WinRMHostSettings(authentication: "ntlm", caBundle: "/etc/ca.pem"))
        #expect(w4.winrm == WinRMHostSettings(authentication: "basic"))
        #expect(w5.winrm == WinRMHostSettings(authentication: "basic"))
    }

    @Test func aHostWithoutSettingsHasNone() throws {
        let text = "w1 ansible_connection=winrm ansible_user=Administrator\ns1 ansible_winrm_transport=ntlm"
        #expect(try host("w1", in: text).winrm == nil)
        // An ssh host's winrm variables mean nothing to it.
        #expect(try host("s1", in: text).winrm == nil)
    }

    @Test func withoutASchemeAnsibleUsesHTTPSUnlessThePortIs5985() throws {
        // setup
        let text = """
            w1 ansible_connection=winrm ansible_port=5985
            w2 ansible_connection=winrm ansible_port=5986
            w3 ansible_connection=winrm ansible_port=443
            w4 ansible_connection=winrm ansible_port=8080 ansible_winrm_scheme=http
            """

        // act, assert
        #expect(try host("w1", in: text).winrm == nil)
        #expect(try host("w2", in: text).winrm == nil)
        #expect(try host("w3", in: text).winrm?.scheme == "https")
        #expect(try host("w4", in: text).winrm?.scheme == "http")
    }

    @Test func psrpReadsItsOwnSpellings() throws {
        // setup
        let text = """
            p1 ansible_connection=psrp ansible_psrp_auth=negotiate ansible_psrp_protocol=http ansible_port=5985
            p2 ansible_connection=psrp ansible_psrp_cert_validation=ignore ansible_psrp_ca_cert=/ca.pem
            p3 ansible_connection=psrp ansible_winrm_transport=basic
            """

        // act, assert
        #expect(try host("p1", in: text).winrm == WinRMHostSettings(authentication: "negotiate", scheme: "http"))
        #expect(try host("p2", in: text).winrm == WinRMHostSettings(verifyCertificates: false, caBundle: "/ca.pem"))
        #expect(try host("p3", in: text).winrm == nil)
    }

    @Test func outOfScopeAuthenticationIsRefusedPerHostWithTheReason() throws {
        // setup
        let text = """
            k1 ansible_connection=winrm ansible_winrm_transport=kerberos
            c1 ansible_connection=winrm ansible_winrm_transport=credssp,certificate
            p1 ansible_connection=psrp ansible_psrp_auth=kerberos
            x1 ansible_connection=winrm ansible_winrm_transport=telepathy
            s1 ansible_connection=winrm ansible_winrm_scheme=ftp
            v1 ansible_connection=winrm ansible_winrm_server_cert_validation=maybe
            ok ansible_connection=winrm
            """

        // act
        let inventory = try parse(text)

        // assert
        let reasons = Dictionary(uniqueKeysWithValues: inventory.rejections.map { ($0.name ?? "", $0.reason) })
        #expect(reasons["k1"]?.contains("ansible_winrm_transport 'kerberos'") == true)
        #expect(reasons["k1"]?.contains("out of scope") == true)
        #expect(reasons["c1"]?.contains("out of scope") == true)
        #expect(reasons["p1"]?.contains("ansible_psrp_auth 'kerberos'") == true)
        #expect(reasons["x1"]?.contains("must name ntlm, negotiate or basic") == true)
        #expect(reasons["s1"]?.contains("ansible_winrm_scheme must be http or https") == true)
        #expect(reasons["v1"]?.contains("must be validate or ignore") == true)
        #expect(inventory.hosts.map(\.name) == ["ok"])
    }

    @Test func yamlListsOfTransportsAreRead() throws {
        // setup
        let text = """
            all:
              hosts:
                w1:
                  ansible_connection: winrm
                  ansible_winrm_transport: [kerberos, ntlm]
                w2:
                  ansible_connection: winrm
                  ansible_winrm_transport: [certificate]
            """

        // act
        let inventory = try AnsibleInventoryParser.parseYAML(text)

        // assert
        #expect(inventory.host(named: "w1")?.winrm?.authentication == "ntlm")
        #expect(inventory.rejections.map(\.name) == ["w2"])
    }

    @Test func theDescriptionNamesTheSettingsButNeverThePassword() throws {
        let text = "w1 ansible_connection=winrm ansible_password=s3cret ansible_winrm_server_cert_validation=ignore"
        let described = String(describing: try host("w1", in: text))
        #expect(described.contains("winrm: no certificate check"))
        #expect(!described.contains("s3cret"))
    }
}
