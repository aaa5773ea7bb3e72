import Testing

@testable import OpsCore

@Suite("Target names and addresses")
struct TargetValidationTests {
    @Test(arguments: ["web01", "web01.example.com", "DB_2", "9lives", "a-b.c_d", String(repeating: "n", count: 253)])
    func acceptsTargetNames(_ name: String) {
        #expect((try? TargetName.validate(name).get()) == name)
    }

    @Test(arguments: [
        ("", "must not be empty"),
        (String(repeating: "n", count: 254), "at most 253"),
        ("-web", "must start with a letter or digit"),
        (".hidden", "must start with a letter or digit"),
        ("web 01", "only letters, digits"),
        ("web:22", "only letters, digits"),
        ("wéb", "only letters, digits"),
    ])
    func refusesTargetNames(_ name: String, reason: String) {
        guard case .failure(let error) = TargetName.validate(name) else {
            Issue.record("'\(name)' was accepted")
            return
        }
        #expect(error.description.contains(reason))
    }

    @Test(arguments: ["2001:db8::10", "fe80::1", "::ffff:192.0.2.1", "web01", "db_primary"])
    func hostNamesMayBeBareIPv6Addresses(_ name: String) {
        #expect((try? TargetName.validateHost(name).get()) == name)
    }

    @Test(arguments: [("2001:db8::10::1", "only letters, digits"), ("web:22", "only letters, digits"), ("", "empty")])
    func hostNamesRefuseWhatIsNeitherANameNorAnIPv6Address(_ name: String, reason: String) {
        guard case .failure(let error) = TargetName.validateHost(name) else {
            Issue.record("'\(name)' was accepted")
            return
        }
        #expect(error.description.contains(reason))
    }

    @Test(arguments: [
        "web01.example.com", "localhost", "xn--bcher-kva.example", "10.0.0.1", "255.255.255.255", "::1", "::",
        "2001:db8::8a2e:370:7334", "fe80:0:0:0:0:0:0:1", "::ffff:192.0.2.1", "2001:DB8:0:0:0:0:0:1",
        "some_host", "web_01.example.com", "_srv.example.com",
    ])
    func acceptsAddresses(_ address: String) {
        #expect((try? TargetAddress.validate(address).get()) == address)
    }

    @Test(arguments: [
        ("", "must not be empty"),
        ("[::1]", "without brackets"),
        ("256.1.1.1", "not a valid IPv4"),
        ("10.0.0", "not a valid IPv4"),
        ("010.0.0.1", "not a valid IPv4"),
        ("1::2::3", "not a valid IPv6"),
        ("2001:db8:0:0:0:0:0:0:1", "not a valid IPv6"),
        ("12345::1", "not a valid IPv6"),
        ("1.2.3.4::", "not a valid IPv6"),
        ("-web.example.com", "must not start or end with '-'"),
        ("web..example.com", "empty labels"),
        ("web 01.example.com", "only letters, digits, '-' and '_'"),
        (String(repeating: "a", count: 64) + ".com", "longer than 63"),
    ])
    func refusesAddressesWithAReason(_ address: String, reason: String) {
        guard case .failure(let error) = TargetAddress.validate(address) else {
            Issue.record("'\(address)' was accepted")
            return
        }
        #expect(error.description.contains(reason))
    }

    @Test func kindsParseCaseInsensitively() {
        #expect(TransportKind(parsing: " WinRM ") == .winrm)
        #expect(TransportKind(parsing: "telnet") == nil)
        #expect(OSFamily(parsing: "Windows") == .windows)
        #expect(TransportKind.allCases.map(\.rawValue) == ["ssh", "openssh", "winrm", "ssm", "local"])
    }
}
