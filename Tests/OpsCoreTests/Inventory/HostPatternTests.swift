import Testing

@testable import OpsCore

@Suite("Host name ranges")
struct HostPatternTests {
    @Test func numericRangeKeepsZeroPadding() throws {
        let names = try HostPattern.expand("web[01:12].example.com")
        #expect(names.count == 12)
        #expect(names.first == "web01.example.com")
        #expect(names.last == "web12.example.com")
    }

    @Test func unpaddedAndOpenStartRanges() throws {
        #expect(try HostPattern.expand("n[8:10]") == ["n8", "n9", "n10"])
        #expect(try HostPattern.expand("n[:2]") == ["n0", "n1", "n2"])
    }

    @Test func letterRange() throws {
        #expect(try HostPattern.expand("db-[a:d]") == ["db-a", "db-b", "db-c", "db-d"])
        #expect(try HostPattern.expand("DB[X:Z]") == ["DBX", "DBY", "DBZ"])
    }

    @Test func stepRange() throws {
        #expect(try HostPattern.expand("node[0:10:5]") == ["node0", "node5", "node10"])
        #expect(try HostPattern.expand("r[a:e:2]") == ["ra", "rc", "re"])
    }

    @Test func severalRangesMultiplyOut() throws {
        #expect(try HostPattern.expand("rack[1:2]-u[a:b]") == ["rack1-ua", "rack1-ub", "rack2-ua", "rack2-ub"])
    }

    @Test func nameWithoutRangeIsItself() throws {
        #expect(try HostPattern.expand("plain.example.com") == ["plain.example.com"])
    }

    @Test func tenThousandIsTheLimit() throws {
        #expect(try HostPattern.expand("h[1:100]-[1:100]").count == 10_000)
        #expect(
            throws: InventoryError.invalidHostPattern(
                pattern: "h[1:100]-[0:100]", reason: "expands to more than 10000 hosts")
        ) {
            try HostPattern.expand("h[1:100]-[0:100]")
        }
    }

    @Test(arguments: [
        ("web[10:1]", "starts after it ends"),
        ("web[f:a]", "starts after it ends"),
        ("web[1:c]", "mixes a letter and a number"),
        ("web[a:Z]", "both be lower case"),
        ("web[aa:zz]", "numbers or single letters"),
        ("web[0:100000]", "more than 10000 values"),
        ("web[01:100]", "same number of digits"),
        ("web[1:5:0]", "positive whole number"),
        ("web[1:]", "has no end"),
        ("web[1]", "[start:end]"),
        ("web[1:2:3:4]", "[start:end]"),
        ("web[1:3", "never closed"),
        ("web1:3]", "without a matching '['"),
        ("web[[1:3]]", "cannot be nested"),
        ("web[99999999999999999999:99999999999999999999]", "too large"),
    ])
    func refusesBadRanges(_ pattern: String, reason: String) {
        do {
            let names = try HostPattern.expand(pattern)
            Issue.record("'\(pattern)' expanded to \(names.count) names")
        } catch {
            let message = String(describing: error)
            #expect(message.contains(reason), "\(message)")
            #expect(message.contains(pattern))
        }
    }
}
