import Testing

@testable import OpsCore

@Suite("CSV inventories")
struct CSVInventoryParserTests {
    @Test func readsQuotedFieldsCRLFAndEmbeddedNewlines() throws {
        // setup: CRLF endings, a quoted tags field with commas and doubled quotes, a quoted groups field
        // spanning two lines, a blank line and a row of bare commas from a spreadsheet.
        let text =
            "Name,Address,PORT,transport,os,tags,groups\r\n"
            + "web01,10.0.0.5,22,ssh,linux,\"env=prod,note=say \"\"hi\"\"\",web;linux\r\n"
            + "\r\n"
            + "win01,win01.corp.example,5986,WinRM,,env=prod;role=ad,\"windows\r\ndomain\"\r\n"
            + ",,,,,,\r\n"
            + "\"db01\",2001:db8::10,,ssm,linux,,\r\n"

        // act
        let inventory = try CSVInventoryParser.parse(text)

        // assert
        #expect(inventory.rejections.isEmpty)
        #expect(inventory.hosts.map(\.name) == ["web01", "win01", "db01"])
        let web = try #require(inventory.host(named: "web01"))
        #expect(
            web
                == InventoryHost(
                    name: "web01", address: "10.0.0.5", port: 22, transport: .ssh, os: .linux,
                    tags: ["env": "prod", "note": "say \"hi\""], groups: ["linux", "web"], line: 2))
        let win = try #require(inventory.host(named: "win01"))
        #expect(win.transport == .winrm)
        #expect(win.os == .windows)  // implied by WinRM
        #expect(win.groups == ["domain", "windows"])
        #expect(win.tags == ["env": "prod", "role": "ad"])
        #expect(win.line == 4)
        // The quoted newline pushed db01 down a line: it is on line 7 of the file.
        #expect(inventory.host(named: "db01")?.line == 7)
        #expect(inventory.host(named: "db01")?.address == "2001:db8::10")
        #expect(inventory.host(named: "db01")?.port == nil)
        #expect(inventory.groups.map(\.name) == ["linux", "web", "domain", "windows"])
    }

    @Test func onlyNameIsRequiredAndColumnsMayComeInAnyOrder() throws {
        // setup
        let text = "\u{FEFF}groups, name\nops, jump1\n"

        // act
        let inventory = try CSVInventoryParser.parse(text)

        // assert
        #expect(inventory.hosts == [InventoryHost(name: "jump1", groups: ["ops"], line: 2)])
        #expect(inventory.groups == [InventoryGroup(name: "ops", directHosts: ["jump1"], line: 2)])
    }

    @Test func unknownColumnIsRefusedListingTheKnownOnes() {
        #expect(throws: InventoryError.unknownCSVColumn(line: 1, column: "hostname", known: CSVInventoryParser.columns))
        {
            try CSVInventoryParser.parse("hostname,port\nweb1,22\n")
        }
        let message = InventoryError.unknownCSVColumn(line: 1, column: "hostname", known: CSVInventoryParser.columns)
            .description
        #expect(
            message
                == "line 1: unknown column 'hostname'; known columns are: name, address, port, transport, os, tags, groups"
        )
    }

    @Test func headerProblemsAreRefused() {
        #expect(throws: InventoryError.duplicateCSVColumn(line: 2, column: "name")) {
            try CSVInventoryParser.parse("\nname,address,Name\n")
        }
        #expect(throws: InventoryError.missingCSVNameColumn(line: 1)) {
            try CSVInventoryParser.parse("address\n10.0.0.1\n")
        }
        #expect(throws: InventoryError.missingCSVHeader) { try CSVInventoryParser.parse("\n\r\n") }
    }

    @Test func unclosedQuoteIsRefusedAtItsLine() {
        #expect(throws: InventoryError.malformedCSV(line: 3, problem: "a quoted field is never closed")) {
            try CSVInventoryParser.parse("name,tags\nweb1,env=prod\nweb2,\"env=prod\nweb3,\n")
        }
    }

    @Test func badRowsAreRejectedAndTheRestIsImported() throws {
        // setup
        let text = """
            name,address,port,transport,os,tags,groups
            ok1,,,,,,
            ,10.0.0.1,,,,,
            toomany,,,,,,,extra
            short,
            badport,,99999,,,,
            badtransport,,,telnet,,,
            bados,,,,solaris,,
            badtags,,,,,env,
            badaddr,300.1.1.1,,,,,
            "bad""quote",,,,,,
            badgroup,,,,,,web/app
            OK1,,,,,,
            ok2,,,,,,
            """

        // act
        let inventory = try CSVInventoryParser.parse(text)

        // assert
        #expect(inventory.hosts.map(\.name) == ["ok1", "ok2"])
        let reasons = Dictionary(uniqueKeysWithValues: inventory.rejections.map { ($0.line, $0.reason) })
        #expect(reasons[3] == "the name is empty")
        #expect(reasons[4] == "expected 7 fields as in the header, found 8")
        #expect(reasons[5] == "expected 7 fields as in the header, found 2")
        #expect(reasons[6] == "port '99999' is not a port number between 1 and 65535")
        #expect(reasons[7] == "transport 'telnet' is not one of: ssh, openssh, winrm, ssm, local")
        #expect(reasons[8] == "os 'solaris' is not one of: linux, windows")
        #expect(reasons[9]?.contains("invalid tag 'env'") == true)
        #expect(reasons[10]?.contains("not a valid IPv4") == true)
        #expect(reasons[11]?.contains("only letters, digits") == true)
        #expect(reasons[12]?.contains("group name 'web/app'") == true)
        #expect(reasons[13] == "the name 'OK1' is already used on line 2")
        #expect(inventory.rejections.first { $0.line == 4 }?.name == "toomany")
    }

    @Test func textAfterAClosingQuoteRejectsTheRow() throws {
        // act
        let inventory = try CSVInventoryParser.parse("name,os\n\"web1\"x,linux\nweb2,linux\n")

        // assert
        #expect(inventory.hosts.map(\.name) == ["web2"])
        #expect(
            inventory.rejections == [
                InventoryRejection(
                    line: 2, name: "web1x", reason: "text after the closing quote of a field; quote the whole field")
            ])
    }
}
