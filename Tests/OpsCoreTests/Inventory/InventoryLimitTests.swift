import Testing

@testable import OpsCore

/// `pcm-ops run --inventory FILE --limit PATTERN`, as Ansible's `--limit` splits and matches.
@Suite("Inventory limit patterns")
struct InventoryLimitTests {
    static let hosts = [
        InventoryHost(name: "web01", groups: ["prod", "web"], line: 1),
        InventoryHost(name: "web03", groups: ["prod", "web"], line: 2),
        InventoryHost(name: "db01", groups: ["prod"], line: 3),
        InventoryHost(name: "2001:db8::10", groups: ["v6"], line: 4),
        InventoryHost(name: "fe80::1", groups: ["v6"], line: 5),
    ]

    @Test(arguments: [
        ("web*:&prod:!web03", ["web01"]), ("web01,db01", ["web01", "db01"]),
        ("all:!prod", ["2001:db8::10", "fe80::1"]),
        ("2001:db8::10", ["2001:db8::10"]), ("2001:db8::10,fe80::1", ["2001:db8::10", "fe80::1"]),
        ("v6,!fe80::1", ["2001:db8::10"]), ("nosuch", []),
    ])
    func selectsTheHostsAnsibleWould(_ pattern: String, expected: [String]) {
        #expect(InventoryLimit.apply(pattern, to: Self.hosts).map(\.name) == expected)
    }
}
