import Foundation
import Testing

@testable import OpsWinRM

/// One of pypsrp's recordings of WinRS exchanges with a real Windows host (Fixtures/pypsrp, MIT, Jordan Borean).
struct PypsrpRecording: Decodable, Sendable {
    struct Exchange: Decodable, Sendable {
        var request: String
        var response: String
    }

    var source: String
    var messages: [Exchange]

    static func load(_ name: String) throws -> PypsrpRecording {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/pypsrp"),
            "fixture \(name).json is missing")
        return try JSONDecoder().decode(PypsrpRecording.self, from: Data(contentsOf: url))
    }
}

/// A known, legitimate difference between the request pypsrp sent and the one this client sends, applied to
/// both sides before they are compared. Each says why it is not a defect; everything else must match.
struct RequestDifference: Sendable {
    var reason: String
    var operation: String?
    var adjustSent: @Sendable (inout WSManXMLElement) -> Void = { _ in }
    var adjustRecorded: @Sendable (inout WSManXMLElement) -> Void = { _ in }

    /// pypsrp sends the optional `wsmv:SessionId` header (MS-WSMV 2.2.4.40); this client does not.
    static let sessionID = RequestDifference(
        reason: "pypsrp sends the optional wsmv:SessionId header; this client does not", operation: nil,
        adjustRecorded: { $0.removeHeader(XMLNamespace.wsmv, "SessionId") })

    /// pypsrp writes option values `True`/`False`; this client writes `TRUE`/`FALSE` as MS-WSMV's examples do.
    /// Windows reads both.
    static let booleanSpelling = RequestDifference(
        reason: "pypsrp writes True/False option values, this client TRUE/FALSE", operation: nil,
        adjustSent: { $0.uppercaseBooleanOptions() }, adjustRecorded: { $0.uppercaseBooleanOptions() })

    /// An option this client sends and pypsrp did not in this recording.
    static func optionOnlySent(_ name: String, in operation: String, because reason: String) -> RequestDifference {
        RequestDifference(reason: reason, operation: operation, adjustSent: { $0.removeOption(name) })
    }

    /// An option pypsrp sent in this recording and this client does not.
    static func optionOnlyRecorded(_ name: String, in operation: String, because reason: String) -> RequestDifference {
        RequestDifference(reason: reason, operation: operation, adjustRecorded: { $0.removeOption(name) })
    }
}

/// Replays a recording: each request this client sends is compared, canonically and after the declared
/// differences, with the recorded one at the same position, and answered with the recorded response (HTTP 500
/// for faults, as Windows sends them). Message IDs come from the recording, so the recorded `RelatesTo` match.
final class PypsrpReplay: WSManExchanger, @unchecked Sendable {
    let recording: PypsrpRecording
    let differences: [RequestDifference]
    private let lock = NSLock()
    private var nextExchange = 0
    private var nextMessageID = 0
    private var problems: [String] = []

    init(_ name: String, differences: [RequestDifference]) throws {
        self.recording = try PypsrpRecording.load(name)
        self.differences = differences
    }

    /// The recorded `wsa:To`, so the session addresses requests as pypsrp did.
    func configuration() throws -> WSManConfiguration {
        let first = try WSManXMLParser.parse(Array(try #require(recording.messages.first).request.utf8))
        let header = try #require(first.child(XMLNamespace.soap, "Header"))
        let to = try #require(header.child(XMLNamespace.addressing, "To")).text
        let timeout = try #require(header.child(XMLNamespace.wsman, "OperationTimeout")).text
        let seconds = try #require(Int(timeout.dropFirst(2).dropLast()))
        return WSManConfiguration(endpointURL: to, operationTimeout: .seconds(seconds))
    }

    /// A session over this replay whose message IDs are the recorded ones, in order.
    func session() throws -> WSManSession {
        let ids = try recording.messages.map { exchange in
            let root = try WSManXMLParser.parse(Array(exchange.request.utf8))
            return try #require(root.child(XMLNamespace.soap, "Header")?.child(XMLNamespace.addressing, "MessageID"))
                .text
        }
        return WSManSession(exchanger: self, configuration: try configuration()) { [self] in
            lock.withLock {
                defer { nextMessageID += 1 }
                return nextMessageID < ids.count ? ids[nextMessageID] : "uuid:00000000-0000-0000-0000-000000000000"
            }
        }
    }

    /// Mismatches and surplus requests seen so far, described.
    var mismatches: [String] { lock.withLock { problems } }
    /// Recorded exchanges not replayed.
    var unconsumed: Int { lock.withLock { recording.messages.count - nextExchange } }

    func exchange(_ envelope: [UInt8]) async throws -> WSManHTTPResponse {
        let index = lock.withLock {
            defer { nextExchange += 1 }
            return nextExchange
        }
        guard index < recording.messages.count else {
            return fail("request \(index) goes beyond the \(recording.messages.count) recorded exchanges")
        }
        let exchange = recording.messages[index]
        var sent = try WSManXMLParser.parse(envelope)
        var recorded = try WSManXMLParser.parse(Array(exchange.request.utf8))
        let operation = recorded.action.split(separator: "/").last.map(String.init) ?? ""
        for difference in differences where difference.operation == nil || difference.operation == operation {
            difference.adjustSent(&sent)
            difference.adjustRecorded(&recorded)
        }
        let sentForm = XMLCanonicalForm.render(sent)
        let recordedForm = XMLCanonicalForm.render(recorded)
        guard sentForm == recordedForm else {
            return fail(
                "request \(index) (\(operation)) differs from the recording:\n" + Self.diff(recordedForm, sentForm))
        }
        let isFault = exchange.response.contains(":Fault>")
        return WSManHTTPResponse(status: isFault ? 500 : 200, body: Array(exchange.response.utf8))
    }

    private func fail(_ problem: String) -> WSManHTTPResponse {
        lock.withLock { problems.append(problem) }
        return WSManHTTPResponse(status: 599, body: [])
    }

    private static func diff(_ recorded: String, _ sent: String) -> String {
        let left = recorded.split(separator: "\n")
        let right = sent.split(separator: "\n")
        var lines: [String] = []
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? String(left[index]) : "(nothing)"
            let b = index < right.count ? String(right[index]) : "(nothing)"
            if a != b { lines.append("  recorded: \(a)\n  sent:     \(b)") }
        }
        return lines.joined(separator: "\n")
    }
}

extension WSManXMLElement {
    /// The `wsa:Action` of an envelope.
    var action: String {
        child(XMLNamespace.soap, "Header")?.child(XMLNamespace.addressing, "Action")?.text ?? ""
    }

    mutating func removeHeader(_ namespace: String, _ name: String) {
        editHeader { $0.children.removeAll { $0.namespace == namespace && $0.name == name } }
    }

    mutating func removeOption(_ name: String) {
        editHeader { header in
            for index in header.children.indices where header.children[index].name == "OptionSet" {
                header.children[index].children.removeAll { $0.attribute("Name") == name }
            }
            header.children.removeAll { $0.name == "OptionSet" && $0.children.isEmpty }
        }
    }

    mutating func uppercaseBooleanOptions() {
        editHeader { header in
            for set in header.children.indices where header.children[set].name == "OptionSet" {
                for option in header.children[set].children.indices {
                    let value = header.children[set].children[option].text
                    if ["true", "false"].contains(value.lowercased()) {
                        header.children[set].children[option].text = value.uppercased()
                    }
                }
            }
        }
    }

    /// Edits the `s:Body` of an envelope.
    mutating func editBody(_ edit: (inout WSManXMLElement) -> Void) {
        guard let index = children.firstIndex(where: { $0.namespace == XMLNamespace.soap && $0.name == "Body" }) else {
            return
        }
        edit(&children[index])
    }

    private mutating func editHeader(_ edit: (inout WSManXMLElement) -> Void) {
        guard let index = children.firstIndex(where: { $0.namespace == XMLNamespace.soap && $0.name == "Header" })
        else {
            return
        }
        edit(&children[index])
    }
}
