import Foundation
import Testing

@testable import OpsWinRM

@Suite("WinRS shell operations")
struct WinRSShellTests {
    static func session(_ service: FakeWinRSService, maxEnvelopeSize: Int = 153_600) -> WSManSession {
        WSManSession(
            exchanger: service,
            configuration: WSManConfiguration(endpointURL: "http://win1:5985/wsman", maxEnvelopeSize: maxEnvelopeSize))
    }

    @Test func createReadsTheShellID() async throws {
        let service = FakeWinRSService()
        let shell = try await WinRSShell.create(on: Self.session(service))
        #expect(shell.shellID == "SHELL-1")
    }

    @Test func createFallsBackToTheSelectorOfTheCreatedResource() async throws {
        // setup: an answer with only the WS-Transfer reference (no rsp:Shell)
        let service = FakeWinRSService()
        service.script(
            "Create",
            .envelope(
                WinRSReplies.envelope(
                    action: "CreateResponse", relatesTo: "{RELATES_TO}",
                    body: "<x:ResourceCreated><a:Address>http://win1:5985/wsman</a:Address><a:ReferenceParameters>"
                        + "<w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI>"
                        + "<w:SelectorSet><w:Selector Name=\"ShellId\">FROM-REFERENCE</w:Selector></w:SelectorSet>"
                        + "</a:ReferenceParameters></x:ResourceCreated>")))
        // act
        let shell = try await WinRSShell.create(on: Self.session(service))
        // assert
        #expect(shell.shellID == "FROM-REFERENCE")
    }

    @Test func createWithoutShellIDIsMalformed() async {
        let service = FakeWinRSService()
        service.script(
            "Create",
            .envelope(WinRSReplies.envelope(action: "CreateResponse", relatesTo: "{RELATES_TO}", body: "<rsp:Shell/>")))
        await #expect(throws: WSManError.malformedResponse(operation: "Create", reason: "it names no ShellId")) {
            _ = try await WinRSShell.create(on: Self.session(service))
        }
    }

    @Test func commandWithoutCommandIDIsMalformed() async throws {
        let service = FakeWinRSService()
        service.script(
            "Command", .envelope(WinRSReplies.envelope(action: "CommandResponse", relatesTo: "{RELATES_TO}", body: "")))
        let shell = try await WinRSShell.create(on: Self.session(service))
        await #expect(throws: WSManError.malformedResponse(operation: "Command", reason: "it names no CommandId")) {
            _ = try await shell.command("cmd.exe")
        }
    }

    @Test func everyRequestHasAFreshMessageID() async throws {
        // setup
        let service = FakeWinRSService()
        let shell = try await WinRSShell.create(on: Self.session(service))
        // act
        let id = try await shell.command("hostname")
        _ = try await shell.receive(commandID: id)
        try await shell.signal(commandID: id, .terminate)
        try await shell.delete()
        // assert
        let ids = try service.requests.map { request in
            try #require(
                try WSManXMLParser.parse(request.envelope).child(XMLNamespace.soap, "Header")?
                    .child(XMLNamespace.addressing, "MessageID")
            ).text
        }
        #expect(ids.count == 5)
        #expect(Set(ids).count == 5)
    }

    @Test func stdinIsChunkedToFitTheEnvelopeSize() async throws {
        // setup: a small MaxEnvelopeSize, so that 20 kB need several Sends
        let service = FakeWinRSService()
        let shell = try await WinRSShell.create(on: Self.session(service, maxEnvelopeSize: 8_192))
        let input = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        // act
        try await shell.sendInput(commandID: "C1", input)
        // assert
        let sends = service.requests.filter { $0.operation == "Send" }
        #expect(sends.count > 3)
        #expect(sends.allSatisfy { $0.envelope.count <= 8_192 })
        #expect(sends.flatMap(\.stdin) == input)
        #expect(sends.map(\.end) == Array(repeating: false, count: sends.count - 1) + [true])
        #expect(sends.dropLast().allSatisfy { $0.envelope.count > 8_192 - 1_200 }, "chunks use the room they have")
    }

    @Test func chunkSizeAccountsForBase64Growth() async throws {
        // setup
        let shell = try await WinRSShell.create(on: Self.session(FakeWinRSService()))
        // act
        let size = try shell.stdinChunkSize(commandID: "C1")
        let envelope = try WSManEnvelope.render(
            try WinRSMessages.send(
                shellID: shell.shellID, commandID: "C1", bytes: [UInt8](repeating: 0xFF, count: size), end: true),
            messageID: "uuid:" + String(repeating: "F", count: 36), configuration: shell.session.configuration)
        // assert
        #expect(envelope.count <= 153_600 - WinRSShell.envelopeMargin)
        #expect(size % 3 == 0)
    }

    @Test func emptyInputOnlyClosesStdin() async throws {
        let service = FakeWinRSService()
        let shell = try await WinRSShell.create(on: Self.session(service))
        try await shell.sendInput(commandID: "C1", [])
        let sends = service.requests.filter { $0.operation == "Send" }
        #expect(sends.count == 1)
        #expect(sends.first?.end == true)
        #expect(sends.first?.stdin == [])
    }

    @Test func oneSendTooLargeForAnEnvelopeIsRefusedBeforeSending() async throws {
        let service = FakeWinRSService()
        let shell = try await WinRSShell.create(on: Self.session(service, maxEnvelopeSize: 8_192))
        let error = await #expect(throws: WSManError.self) {
            try await shell.send(commandID: "C1", [UInt8](repeating: 1, count: 8_192), end: true)
        }
        guard case .invalidRequest(let reason) = error else {
            Issue.record("expected invalidRequest, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("send them in chunks"))
        #expect(!service.operations.contains("Send"))
    }

    @Test func anEnvelopeSizeTooSmallForAnyDataIsRefused() async throws {
        let shell = try await WinRSShell.create(on: Self.session(FakeWinRSService(), maxEnvelopeSize: 1_500))
        await #expect(throws: WSManError.self) { try await shell.sendInput(commandID: "C1", [1, 2, 3]) }
    }

    @Test func receiveTurnsTheTimedOutFaultIntoAResult() async throws {
        let service = FakeWinRSService()
        service.script("Receive", WinRSReplies.timedOutFault)
        let shell = try await WinRSShell.create(on: Self.session(service))
        let result = try await shell.receive(commandID: "C1")
        #expect(result.operationTimedOut)
        #expect(!result.isDone)
        #expect(result.output.isEmpty)
    }

    @Test func otherReceiveFaultsAreThrown() async throws {
        let service = FakeWinRSService()
        service.script(
            "Receive", .fault(code: 2_150_858_843, subcode: "InvalidSelectors", message: "The shell was not found."))
        let shell = try await WinRSShell.create(on: Self.session(service))
        let error = await #expect(throws: WSManError.self) { _ = try await shell.receive(commandID: "C1") }
        guard case .fault(let fault) = error else {
            Issue.record("expected a fault, got \(String(describing: error))")
            return
        }
        #expect(fault.isUnknownShellOrCommand)
        #expect(fault.message == "The shell was not found.")
    }
}
