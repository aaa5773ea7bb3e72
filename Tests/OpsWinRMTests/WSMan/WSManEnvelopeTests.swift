import Foundation
import Testing

@testable import OpsWinRM

@Suite("WS-Management envelopes")
struct WSManEnvelopeTests {
    static let configuration = WSManConfiguration(endpointURL: "http://win1.example:5985/wsman")

    private func render(_ request: WSManRequest, configuration: WSManConfiguration = Self.configuration) throws
        -> WSManXMLElement
    {
        try WSManXMLParser.parse(
            try WSManEnvelope.render(
                request, messageID: "uuid:11111111-2222-3333-4444-555555555555", configuration: configuration))
    }

    private func header(_ envelope: WSManXMLElement) throws -> WSManXMLElement {
        try #require(envelope.child(XMLNamespace.soap, "Header"))
    }

    @Test func headerCarriesWhatWindowsExpects() throws {
        // act
        let envelope = try render(try WinRSMessages.receive(shellID: "S1", commandID: "C1"))
        let header = try header(envelope)
        // assert
        let action = try #require(header.child(XMLNamespace.addressing, "Action"))
        #expect(action.text == "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive")
        #expect(action.attribute("mustUnderstand", namespace: XMLNamespace.soap) == "true")
        #expect(header.child(XMLNamespace.addressing, "To")?.text == "http://win1.example:5985/wsman")
        #expect(
            header.child(XMLNamespace.addressing, "ReplyTo")?.child(XMLNamespace.addressing, "Address")?.text
                == "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous")
        let size = try #require(header.child(XMLNamespace.wsman, "MaxEnvelopeSize"))
        #expect(size.text == "153600")
        #expect(size.attribute("mustUnderstand", namespace: XMLNamespace.soap) == "true")
        #expect(header.child(XMLNamespace.addressing, "MessageID")?.text == "uuid:11111111-2222-3333-4444-555555555555")
        #expect(header.child(XMLNamespace.wsman, "Locale")?.attribute("lang", namespace: XMLNamespace.xml) == "en-US")
        #expect(
            header.child(XMLNamespace.wsmv, "DataLocale")?.attribute("lang", namespace: XMLNamespace.xml) == "en-US")
        #expect(header.child(XMLNamespace.wsman, "OperationTimeout")?.text == "PT20S")
        #expect(
            header.child(XMLNamespace.wsman, "ResourceURI")?.text
                == "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd")
        let selector = header.child(XMLNamespace.wsman, "SelectorSet")?.child(XMLNamespace.wsman, "Selector")
        #expect(selector?.attribute("Name") == "ShellId")
        #expect(selector?.text == "S1")
        let option = header.child(XMLNamespace.wsman, "OptionSet")?.child(XMLNamespace.wsman, "Option")
        #expect(option?.attribute("Name") == "WSMAN_CMDSHELL_OPTION_KEEPALIVE")
        #expect(option?.text == "TRUE")
        let stream = envelope.child(XMLNamespace.soap, "Body")?.child(XMLNamespace.shell, "Receive")?
            .child(XMLNamespace.shell, "DesiredStream")
        #expect(stream?.attribute("CommandId") == "C1")
        #expect(stream?.text == "stdout stderr")
    }

    @Test func configurationReachesTheHeader() throws {
        // setup
        let configuration = WSManConfiguration(
            endpointURL: "https://[::1]:5986/wsman", maxEnvelopeSize: 512_000, operationTimeout: .milliseconds(1500),
            locale: "de-DE", dataLocale: "fr-FR")
        // act
        let header = try header(try render(WinRSMessages.delete(shellID: "S"), configuration: configuration))
        // assert
        #expect(header.child(XMLNamespace.wsman, "MaxEnvelopeSize")?.text == "512000")
        #expect(header.child(XMLNamespace.wsman, "OperationTimeout")?.text == "PT1.500S")
        #expect(header.child(XMLNamespace.wsman, "Locale")?.attribute("lang", namespace: XMLNamespace.xml) == "de-DE")
        #expect(
            header.child(XMLNamespace.wsmv, "DataLocale")?.attribute("lang", namespace: XMLNamespace.xml) == "fr-FR")
        #expect(header.child(XMLNamespace.addressing, "To")?.text == "https://[::1]:5986/wsman")
    }

    @Test func createWithDefaultsAsksForUTF8WithoutProfile() throws {
        // act
        let envelope = try render(try WinRSMessages.create(WinRSShellOptions()))
        // assert
        let options = try #require(try header(envelope).child(XMLNamespace.wsman, "OptionSet"))
        #expect(options.attribute("mustUnderstand", namespace: XMLNamespace.soap) == "true")
        #expect(options.children.map { $0.attribute("Name") } == ["WINRS_NOPROFILE", "WINRS_CODEPAGE"])
        #expect(options.children.map(\.text) == ["TRUE", "65001"])
        #expect(options.children[0].attribute("MustComply") == "true")
        #expect(try header(envelope).child(XMLNamespace.wsman, "SelectorSet") == nil)
        let shell = try #require(envelope.child(XMLNamespace.soap, "Body")?.child(XMLNamespace.shell, "Shell"))
        #expect(shell.children.map(\.name) == ["InputStreams", "OutputStreams"])
        #expect(shell.children.map(\.text) == ["stdin", "stdout stderr"])
    }

    @Test func createWithAnotherCodepageAndNoOptions() throws {
        let withCodepage = try render(try WinRSMessages.create(WinRSShellOptions(codepage: 932, noProfile: false)))
        let values = try header(withCodepage).child(XMLNamespace.wsman, "OptionSet")?.children.map(\.text)
        #expect(values == ["932"])
        let without = try render(try WinRSMessages.create(WinRSShellOptions(codepage: nil, noProfile: false)))
        #expect(try header(without).child(XMLNamespace.wsman, "OptionSet") == nil)
    }

    @Test func everyValueIsEscaped() throws {
        // setup
        let hostile = #"a<b>&"c"'d'</rsp:Shell>]]>"#
        let options = WinRSShellOptions(
            environment: [(hostile, hostile)], workingDirectory: hostile, idleTimeout: .seconds(90), name: hostile)
        // act
        let body = try #require(try render(try WinRSMessages.create(options)).child(XMLNamespace.soap, "Body"))
        let command = try render(
            try WinRSMessages.command(
                shellID: hostile, executable: hostile, arguments: [hostile, "line\r\nbreak"], skipCmdShell: false,
                consoleModeStdin: false))
        // assert: parsed back, every value is exactly what was given
        let shell = try #require(body.child(XMLNamespace.shell, "Shell"))
        let variable = shell.child(XMLNamespace.shell, "Environment")?.child(XMLNamespace.shell, "Variable")
        #expect(variable?.attribute("Name") == hostile)
        #expect(variable?.text == hostile)
        #expect(shell.child(XMLNamespace.shell, "WorkingDirectory")?.text == hostile)
        #expect(shell.child(XMLNamespace.shell, "Name")?.text == hostile)
        #expect(shell.child(XMLNamespace.shell, "IdleTimeOut")?.text == "PT90S")
        let line = try #require(command.child(XMLNamespace.soap, "Body")?.child(XMLNamespace.shell, "CommandLine"))
        #expect(line.child(XMLNamespace.shell, "Command")?.text == hostile)
        #expect(line.children(XMLNamespace.shell, "Arguments").map(\.text) == [hostile, "line\r\nbreak"])
        #expect(
            try header(command).child(XMLNamespace.wsman, "SelectorSet")?.child(XMLNamespace.wsman, "Selector")?.text
                == hostile)
    }

    @Test func commandOptionsPipeStdinAndUseCmd() throws {
        // act
        let plain = try render(
            try WinRSMessages.command(
                shellID: "S", executable: "cmd.exe", arguments: [], skipCmdShell: false, consoleModeStdin: false))
        let direct = try render(
            try WinRSMessages.command(
                shellID: "S", executable: "x.exe", arguments: [], skipCmdShell: true, consoleModeStdin: true))
        // assert
        let options = try header(plain).child(XMLNamespace.wsman, "OptionSet")?.children
        #expect(options?.map { $0.attribute("Name") } == ["WINRS_CONSOLEMODE_STDIN", "WINRS_SKIP_CMD_SHELL"])
        #expect(options?.map(\.text) == ["FALSE", "FALSE"])
        #expect(try header(direct).child(XMLNamespace.wsman, "OptionSet")?.children.map(\.text) == ["TRUE", "TRUE"])
    }

    @Test func sendCarriesBase64AndEndOnlyWhenAsked() throws {
        // act
        let middle = try render(try WinRSMessages.send(shellID: "S", commandID: "C", bytes: [0, 255, 10], end: false))
        let last = try render(try WinRSMessages.send(shellID: "S", commandID: "C", bytes: [], end: true))
        // assert
        let stream = middle.child(XMLNamespace.soap, "Body")?.child(XMLNamespace.shell, "Send")?
            .child(XMLNamespace.shell, "Stream")
        #expect(stream?.attribute("Name") == "stdin")
        #expect(stream?.attribute("CommandId") == "C")
        #expect(stream?.attribute("End") == nil)
        #expect(stream?.text == "AP8K")
        let end = last.child(XMLNamespace.soap, "Body")?.child(XMLNamespace.shell, "Send")?
            .child(XMLNamespace.shell, "Stream")
        #expect(end?.attribute("End") == "true")
        #expect(end?.text == "")
    }

    @Test func signalAndDelete() throws {
        let signal = try render(try WinRSMessages.signal(shellID: "S", commandID: "C", .terminate))
        let element = signal.child(XMLNamespace.soap, "Body")?.child(XMLNamespace.shell, "Signal")
        #expect(element?.attribute("CommandId") == "C")
        #expect(
            element?.child(XMLNamespace.shell, "Code")?.text
                == "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate")
        let delete = try render(WinRSMessages.delete(shellID: "S"))
        #expect(
            try header(delete).child(XMLNamespace.addressing, "Action")?.text
                == "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete")
        #expect(delete.child(XMLNamespace.soap, "Body")?.children.isEmpty == true)
    }

    @Test func controlCharactersCannotBeSent() {
        #expect(throws: WSManError.unrepresentableText(field: "a command argument")) {
            _ = try WinRSMessages.command(
                shellID: "S", executable: "cmd.exe", arguments: ["a\u{1B}[31m"], skipCmdShell: false,
                consoleModeStdin: false)
        }
        #expect(throws: WSManError.unrepresentableText(field: "environment variable X")) {
            _ = try WinRSMessages.create(WinRSShellOptions(environment: [("X", "\u{0}")]))
        }
    }

    @Test func durations() {
        #expect(WSManDuration.format(.seconds(20)) == "PT20S")
        #expect(WSManDuration.format(.seconds(7200)) == "PT7200S")
        #expect(WSManDuration.format(.milliseconds(250)) == "PT0.250S")
        #expect(WSManDuration.format(.milliseconds(61_005)) == "PT61.005S")
        #expect(WSManDuration.format(.zero) == "PT0S")
    }

    @Test func messageIDsAreFreshUUIDs() {
        let first = WSManSession.randomMessageID()
        let second = WSManSession.randomMessageID()
        #expect(first != second)
        #expect(first.hasPrefix("uuid:"))
        #expect(UUID(uuidString: String(first.dropFirst(5))) != nil)
    }
}
