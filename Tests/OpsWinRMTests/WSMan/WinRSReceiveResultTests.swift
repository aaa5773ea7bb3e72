import Foundation
import Testing

@testable import OpsWinRM

@Suite("WinRS Receive answers")
struct WinRSReceiveResultTests {
    private func parse(_ content: String, commandID: String = "C1") throws(WSManError) -> WinRSReceiveResult {
        let document =
            "<s:Body xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
            + "xmlns:rsp=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell\">\(content)</s:Body>"
        return try WinRSReceiveResult.parse(try WSManXMLParser.parse(Array(document.utf8)), commandID: commandID)
    }

    private func stream(_ name: String, _ bytes: [UInt8], id: String = "C1", end: Bool = false) -> String {
        "<rsp:Stream Name=\"\(name)\" CommandId=\"\(id)\"\(end ? " End=\"true\"" : "")>\(Data(bytes).base64EncodedString())</rsp:Stream>"
    }

    private let done = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done"
    private let running = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running"

    @Test func chunksKeepTheirOrderAndStreams() throws {
        // act
        let result = try parse(
            "<rsp:ReceiveResponse>" + stream("stdout", Array("a".utf8)) + stream("stderr", Array("b".utf8))
                + stream("stdout", Array("c".utf8)) + stream("stdout", [], end: true)
                + "<rsp:CommandState CommandId=\"C1\" State=\"\(running)\"/></rsp:ReceiveResponse>")
        // assert
        #expect(
            result.output == [
                WinRSOutput(stream: .stdout, bytes: Array("a".utf8)),
                WinRSOutput(stream: .stderr, bytes: Array("b".utf8)),
                WinRSOutput(stream: .stdout, bytes: Array("c".utf8)),
            ])
        #expect(!result.isDone)
        #expect(result.exitCode == nil)
    }

    @Test func bytesThatAreNotUTF8StayBytes() throws {
        let raw: [UInt8] = [0x82, 0xA0, 0xFF, 0x00, 0x0A]
        let result = try parse("<rsp:ReceiveResponse>" + stream("stdout", raw) + "</rsp:ReceiveResponse>")
        #expect(result.output == [WinRSOutput(stream: .stdout, bytes: raw)])
    }

    @Test func doneCarriesTheExitCode() throws {
        let result = try parse(
            "<rsp:ReceiveResponse><rsp:CommandState CommandId=\"c1\" State=\"\(done)\"><rsp:ExitCode> 3 </rsp:ExitCode>"
                + "</rsp:CommandState></rsp:ReceiveResponse>")
        #expect(result.isDone)
        #expect(result.exitCode == 3)
    }

    @Test func unsignedNTSTATUSExitCodesKeepTheirBits() throws {
        // 0xC000013A: STATUS_CONTROL_C_EXIT, reported as an unsigned number
        let result = try parse(
            "<rsp:ReceiveResponse><rsp:CommandState CommandId=\"C1\" State=\"\(done)\"><rsp:ExitCode>3221225786</rsp:ExitCode>"
                + "</rsp:CommandState></rsp:ReceiveResponse>")
        #expect(result.exitCode == Int32(bitPattern: 0xC000_013A))
        let negative = try parse(
            "<rsp:ReceiveResponse><rsp:CommandState State=\"\(done)\"><rsp:ExitCode>-1</rsp:ExitCode>"
                + "</rsp:CommandState></rsp:ReceiveResponse>")
        #expect(negative.exitCode == -1)
    }

    @Test(
        "answers that cannot be used are refused",
        arguments: [
            ("<rsp:SignalResponse/>", "no ReceiveResponse"),
            (
                "<rsp:ReceiveResponse><rsp:Stream Name=\"stdout\" CommandId=\"C1\">!!!not base64</rsp:Stream></rsp:ReceiveResponse>",
                "not base64"
            ),
            (
                "<rsp:ReceiveResponse><rsp:Stream Name=\"pr\" CommandId=\"C1\">YQ==</rsp:Stream></rsp:ReceiveResponse>",
                "stream named pr"
            ),
            (
                "<rsp:ReceiveResponse><rsp:Stream CommandId=\"C1\">YQ==</rsp:Stream></rsp:ReceiveResponse>",
                "stream named (none)"
            ),
            (
                "<rsp:ReceiveResponse><rsp:Stream Name=\"stdout\" CommandId=\"C2\">YQ==</rsp:Stream></rsp:ReceiveResponse>",
                "command C2"
            ),
            (
                "<rsp:ReceiveResponse><rsp:CommandState CommandId=\"C9\" State=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done\">"
                    + "<rsp:ExitCode>0</rsp:ExitCode></rsp:CommandState></rsp:ReceiveResponse>", "command C9"
            ),
            (
                "<rsp:ReceiveResponse><rsp:CommandState CommandId=\"C1\" State=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done\"/>"
                    + "</rsp:ReceiveResponse>", "no exit code"
            ),
            (
                "<rsp:ReceiveResponse><rsp:CommandState CommandId=\"C1\" State=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done\">"
                    + "<rsp:ExitCode>zero</rsp:ExitCode></rsp:CommandState></rsp:ReceiveResponse>", "no exit code"
            ),
        ])
    func unusable(content: String, expected: String) {
        let error = #expect(throws: WSManError.self) { try parse(content) }
        guard case .malformedResponse(let operation, let reason) = error else {
            Issue.record("expected malformedResponse, got \(String(describing: error))")
            return
        }
        #expect(operation == "Receive")
        #expect(reason.contains(expected), "\(reason)")
    }
}
