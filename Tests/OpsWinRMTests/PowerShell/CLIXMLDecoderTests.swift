import Testing

@testable import OpsWinRM

/// Samples are from Ansible's tests of `_parse_clixml` / `_replace_stderr_clixml`
/// (test/units/plugins/shell/test_powershell.py) and from pywinrm#166 and WinRb/WinRM#106, as powershell.exe
/// wrote them.
@Suite("CLIXML stderr decoder")
struct CLIXMLDecoderTests {
    static let objs = "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
    static let progress =
        "<Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T>"
        + "</TN><MS><I64 N=\"SourceId\">1</I64><PR N=\"Record\"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil />"
        + "<PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>"
    static let commandNotFound =
        "#< CLIXML\r\n" + objs
        + "<S S=\"Error\">fake : The term 'fake' is not recognized as the name of a cmdlet. Check _x000D__x000A_</S>"
        + "<S S=\"Error\">the spelling of the name, or if a path was included._x000D__x000A_</S>"
        + "<S S=\"Error\">At line:1 char:1_x000D__x000A_</S>"
        + "<S S=\"Error\">+ fake cmdlet_x000D__x000A_</S><S S=\"Error\">+ ~~~~_x000D__x000A_</S>"
        + "<S S=\"Error\">    + CategoryInfo          : ObjectNotFound: (fake:String) [], CommandNotFoundException_x000D__x000A_</S>"
        + "<S S=\"Error\">    + FullyQualifiedErrorId : CommandNotFoundException_x000D__x000A_</S><S S=\"Error\"> _x000D__x000A_</S>"
        + "</Objs>"
    static let commandNotFoundText =
        "fake : The term 'fake' is not recognized as the name of a cmdlet. Check \r\n"
        + "the spelling of the name, or if a path was included.\r\n" + "At line:1 char:1\r\n" + "+ fake cmdlet\r\n"
        + "+ ~~~~\r\n" + "    + CategoryInfo          : ObjectNotFound: (fake:String) [], CommandNotFoundException\r\n"
        + "    + FullyQualifiedErrorId : CommandNotFoundException\r\n" + " \r\n"

    private func decode(_ text: String) -> String {
        String(decoding: CLIXMLDecoder.decode(Array(text.utf8)), as: UTF8.self)
    }

    /// Feeds `bytes` in chunks of `size` and returns the whole output.
    private func decodeInChunks(_ bytes: [UInt8], size: Int) -> [UInt8] {
        var decoder = CLIXMLDecoder()
        var output: [UInt8] = []
        var start = 0
        while start < bytes.count {
            output += decoder.decode(Array(bytes[start..<min(bytes.count, start + size)]))
            start += size
        }
        return output + decoder.finish()
    }

    @Test func errorRecordsBecomeTheirText() {
        #expect(decode(Self.commandNotFound) == Self.commandNotFoundText)
    }

    @Test func anEmptyBlockDecodesToNothing() {
        #expect(decode("#< CLIXML\r\n" + Self.objs + "</Objs>") == "")
    }

    @Test func progressIsDropped() {
        #expect(decode("#< CLIXML\r\n" + Self.objs + Self.progress + "</Objs>") == "")
    }

    @Test func progressOfAModuleLoadIsDroppedAndTheErrorKept() {
        // pywinrm#166: loading the AD module reports progress before any error
        let stderr =
            "#< CLIXML\r\n" + Self.objs
            + "<Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.PSCustomObject</T></TN><MS>"
            + "<I64 N=\"SourceId\">1</I64><PR N=\"Record\"><AV>Loading Active Directory module for Windows PowerShell with "
            + "default drive 'AD:'</AV><AI>0</AI><Nil /><PI>-1</PI><PC>0</PC><T>Processing</T><SR>-1</SR><SD> </SD></PR></MS>"
            + "</Obj><Obj S=\"progress\" RefId=\"1\"><TNRef RefId=\"0\" /><MS><I64 N=\"SourceId\">1</I64></MS></Obj>"
            + "<S S=\"Error\">Get-ADObject : Directory object not found_x000D__x000A_</S></Objs>"
        #expect(decode(stderr) == "Get-ADObject : Directory object not found\r\n")
    }

    @Test func warningsAreKeptWithTheirPrefixAndOtherStreamsDropped() {
        let stderr =
            "#< CLIXML\r\n" + Self.objs + "<S S=\"warning\">Disk almost full</S><S S=\"verbose\">VERBOSE333</S>"
            + "<S S=\"debug\">DEBUG444</S><Obj S=\"information\" RefId=\"1\"><MS><S N=\"MessageData\">INFO</S></MS></Obj>"
            + "<S S=\"Warning\">two lines_x000D__x000A_</S><S S=\"Error\">ERROR555</S></Objs>"
        #expect(decode(stderr) == "WARNING: Disk almost full\r\nWARNING: two lines\r\nERROR555")
    }

    @Test func stringsOfOtherStreamsAndObjectSummariesAreNotLost() {
        let stderr =
            "#< CLIXML\r\n" + Self.objs + "<S S=\"Info\">hi info</S><S>bare</S>"
            + "<Obj S=\"Error\" RefId=\"2\"><ToString>an error object</ToString></Obj><Obj RefId=\"3\"><MS/></Obj><Nil/></Objs>"
        #expect(decode(stderr) == "hi infobarean error object\r\n")
    }

    @Test func repeatedHeadersAndSeveralBlocks() {
        // ansible#69550
        let stderr =
            "#< CLIXML\r\n#< CLIXML\r\n" + Self.objs + Self.progress + "<S S=\"Error\">Error 1</S></Objs>" + Self.objs
            + Self.progress + "<S S=\"Error\">Error 2</S></Objs>"
        #expect(decode(stderr) == "Error 1Error 2")
    }

    @Test(
        "escapes decode to UTF-16 code units",
        arguments: [
            ("", ""),
            ("just newline _x000A_", "just newline \n"),
            ("surrogate pair _xD83C__xDFB5_", "surrogate pair 🎵"),
            ("null char _x0000_", "null char \u{0}"),
            ("normal char _x0061_", "normal char a"),
            ("escaped literal _x005F_x005F_", "escaped literal _x005F_"),
            ("underscore before escape _x005F__x000A_", "underscore before escape _\n"),
            ("surrogate high _xD83C_", "surrogate high \u{FFFD}"),
            ("surrogate low _xDFB5_", "surrogate low \u{FFFD}"),
            ("lower case hex _x005f_", "lower case hex _"),
            ("invalid hex _x005G_", "invalid hex _x005G_"),
            ("_x\u{6100}\u{6200}\u{6300}\u{6400}_", "_x\u{6100}\u{6200}\u{6300}\u{6400}_"),
            ("short _x00A", "short _x00A"),
            ("entities &lt;&amp;&gt; stay decoded", "entities <&> stay decoded"),
        ])
    func escapes(clixml: String, expected: String) {
        #expect(decode("#< CLIXML\r\n" + Self.objs + "<S S=\"Error\">\(clixml)</S></Objs>") == expected)
    }

    @Test func textAroundTheBlockPassesThrough() {
        let block = "#< CLIXML\r\n" + Self.objs + "<S S=\"Error\">My error</S></Objs>"
        #expect(decode(block) == "My error")
        #expect(decode("pre\r\n" + block + "\r\npost") == "pre\r\nMy error\r\npost")
        #expect(decode("pre\r\n" + block + "inline\r\npost") == "pre\r\nMy errorinline\r\npost")
    }

    @Test func textThatIsNotCLIXMLPassesThroughUnchanged() {
        for text in [
            "foo", "foo\r\n#< CLIXML\r\n", "#< CLIXML\r\n<Objs Version=\"foo\"><</Objs>", "#< CLIXM",
            "#< CLIXML not xml",
            "#< CLIXML\r\n<Objects/>", "a # < b", "#< CLIXML\r\n<Objs/>",
            "#< CLIXML\r\n<Objs Version=\"1\">text</Objs>",
        ] {
            #expect(decode(text) == text, "\(text)")
        }
    }

    @Test func bytesThatAreNotUTF8PassThroughOutsideRecords() {
        let raw: [UInt8] = [0x82, 0x72, 0xFF, 0x0D, 0x0A]
        #expect(CLIXMLDecoder.decode(raw) == raw)
    }

    @Test func aRecordThatIsNotUTF8IsDecodedWithReplacementCharacters() {
        // a record written in the OEM code page before the bootstrap switched to UTF-8
        let bytes =
            Array(("#< CLIXML\r\n" + Self.objs + "<S S=\"Error\">My ").utf8) + [0x82] + Array("rror</S></Objs>".utf8)
        #expect(String(decoding: CLIXMLDecoder.decode(bytes), as: UTF8.self) == "My \u{FFFD}rror")
    }

    @Test func aRecordThatIsNotWellFormedPassesThroughAndDecodingGoesOn() {
        let stderr =
            "#< CLIXML\r\n" + Self.objs + "<S S=\"Error\">a</S><S S='x' S='y'>dup</S><S S=\"Error\">b</S></Objs>"
        #expect(decode(stderr) == "a<S S='x' S='y'>dup</S>b")
    }

    @Test func anUnfinishedBlockPassesThroughAtTheEnd() {
        let cut = "#< CLIXML\r\n" + Self.objs + "<S S=\"Error\">done</S><S S=\"Error\">half"
        #expect(decode(cut) == "done<S S=\"Error\">half")
        #expect(decode("#< CLIXML\r\n" + Self.objs) == "#< CLIXML\r\n" + Self.objs)
        #expect(decode("#< CLIXML\r\n<Objs Vers") == "#< CLIXML\r\n<Objs Vers")
        #expect(decode("text #< CLI") == "text #< CLI")
    }

    @Test(
        "any chunking gives the same output as the whole",
        arguments: [1, 2, 3, 7, 64, 1_000])
    func chunking(size: Int) {
        let stderr = Array(
            ("before\r\n" + Self.commandNotFound + "middle #< CL" + "IXML\r\n" + Self.objs + Self.progress
                + "<S S=\"Error\">quote '>' in _x0022_text_x0022_ &amp; <![CDATA[<raw>]]></S><!-- c --></Objs>after #")
                .utf8)
        let whole = CLIXMLDecoder.decode(stderr)
        #expect(decodeInChunks(stderr, size: size) == whole)
        #expect(
            String(decoding: whole, as: UTF8.self)
                == "before\r\n" + Self.commandNotFoundText + "middle quote '>' in \"text\" & <raw>after #")
    }

    @Test func textIsPassedOnAsSoonAsItCannotStartAHeader() {
        var decoder = CLIXMLDecoder()
        #expect(decoder.decode(Array("plain text #".utf8)) == Array("plain text ".utf8))
        #expect(decoder.decode(Array("< CLIX".utf8)) == [])
        #expect(decoder.decode(Array("Y".utf8)) == Array("#< CLIXY".utf8))
        #expect(decoder.finish() == [])
    }

    @Test func recordsAreReleasedAsSoonAsTheyEnd() {
        var decoder = CLIXMLDecoder()
        #expect(
            decoder.decode(Array(("#< CLIXML\r\n" + Self.objs + "<S S=\"Error\">one_x000A_</S><S S=\"Err").utf8))
                == Array("one\n".utf8))
        #expect(decoder.decode(Array("or\">two</S>".utf8)) == Array("two".utf8))
        #expect(decoder.decode(Array("</Objs>tail".utf8)) == Array("tail".utf8))
        #expect(decoder.finish() == [])
    }

    @Test func aRecordLargerThanTheLimitIsNotWaitedFor() {
        var decoder = CLIXMLDecoder()
        let head = Array(("#< CLIXML\r\n" + Self.objs + "<S S=\"Error\">").utf8)
        let huge = [UInt8](repeating: UInt8(ascii: "x"), count: CLIXMLDecoder.maximumRecordSize + 10)
        let output = decoder.decode(head + huge)
        #expect(output == head + huge)
        #expect(decoder.finish() == [])
    }

    @Test func aDecoderCanBeUsedAgainAfterFinish() {
        var decoder = CLIXMLDecoder()
        _ = decoder.decode(Array("#< CLIXML\r\n<Obj".utf8))
        #expect(decoder.finish() == Array("#< CLIXML\r\n<Obj".utf8))
        #expect(decoder.decode(Array("plain".utf8)) == Array("plain".utf8))
    }
}
