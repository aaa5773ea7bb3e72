import Testing

@testable import OpsServer

@Suite("Connection limits and trusted proxies configuration")
struct ConnectionConfigTests {
    @Test func defaults() throws {
        let config = try ServerConfig.load(flags: ServerFlags(), environment: [:]).connections
        #expect(config.headerTimeout == 20)
        #expect(config.idleTimeout == 60)
        #expect(config.maxConnectionsPerClient == 64)
        #expect(config.trustedProxies.isEmpty)
    }

    @Test func flagsAndEnvironment() throws {
        let environment = [
            "PCMOPS_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7 ,fd00::/8", "PCMOPS_IDLE_TIMEOUT": "90",
        ]
        let config = try ServerConfig.load(
            flags: ServerFlags(headerTimeout: "2.5", maxConnectionsPerClient: "8"), environment: environment
        ).connections
        #expect(config.headerTimeout == 2.5)
        #expect(config.idleTimeout == 90)
        #expect(config.maxConnectionsPerClient == 8)
        #expect(config.trustedProxies.map(\.description) == ["10.0.0.0/8", "192.0.2.7/32", "fd00::/8"])
    }

    @Test(arguments: [
        (ServerFlags(headerTimeout: "0"), "header-timeout"), (ServerFlags(headerTimeout: "301"), "header-timeout"),
        (ServerFlags(headerTimeout: "soon"), "header-timeout"), (ServerFlags(idleTimeout: "-1"), "idle-timeout"),
        (ServerFlags(maxConnectionsPerClient: "0"), "max-connections-per-client"),
        (ServerFlags(maxConnectionsPerClient: "many"), "max-connections-per-client"),
        (ServerFlags(trustedProxies: "10.0.0.0/33"), "trusted-proxies"),
        (ServerFlags(trustedProxies: "10.0.0.0/8,proxy.example.com"), "trusted-proxies"),
        (ServerFlags(trustedProxies: "10.0.0.1/"), "trusted-proxies"),
    ])
    func invalidValuesNameTheirFlag(flags: ServerFlags, field: String) {
        #expect(throws: ConfigError.self) { try ServerConfig.load(flags: flags, environment: [:]) }
        do {
            _ = try ServerConfig.load(flags: flags, environment: [:])
        } catch {
            #expect(error.field == field)
        }
    }

    @Test(arguments: [
        ("10.0.0.0/8", "10.255.1.2", true), ("10.0.0.0/8", "11.0.0.1", false),
        ("192.0.2.7", "192.0.2.7", true), ("192.0.2.7", "192.0.2.8", false),
        ("10.0.0.0/8", "::ffff:10.1.2.3", true),  // IPv4-mapped IPv6
        ("fd00::/8", "fd12::1", true), ("fd00::/8", "fe80::1", false), ("fd00::/8", "10.0.0.1", false),
        ("0.0.0.0/0", "203.0.113.9", true), ("10.0.0.0/8", "not an address", false),
        ("10.0.0.0/8", "[10.0.0.1]", true),
    ])
    func rangesContainTheirAddresses(range: String, address: String, expected: Bool) throws {
        let parsed = try #require(IPRange(range))
        #expect(parsed.contains(address) == expected)
    }
}
