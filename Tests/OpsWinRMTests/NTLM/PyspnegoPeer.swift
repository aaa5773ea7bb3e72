import Foundation
import OpsTestSupport

@testable import OpsWinRM

/// pyspnego's NTLM acceptor in a child process (Support/pyspnego_peer.py), the same acceptor the WinRM emulator
/// uses: the Swift client authenticates against it and both sides seal and open each other's messages.
/// The interpreter is `python3`, or `$PCMOPS_PYTHON`; it needs pyspnego and pypsrp.
final class PyspnegoPeer {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let process: ChildProcess
    private var buffer = Data()

    init() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Support/pyspnego_peer.py")
        process = try ChildProcess(
            "/usr/bin/env", [ProcessInfo.processInfo.environment["PCMOPS_PYTHON"] ?? "python3", script.path],
            pipedInput: true, errors: .inherit)
    }

    deinit {
        try? process.input?.close()
        process.wait()
    }

    /// Sends one request and returns the answer's fields; a peer-side failure throws its message.
    func call(_ request: [String: Any?]) throws -> [String: Any] {
        let data = try JSONSerialization.data(withJSONObject: request.mapValues { $0 ?? NSNull() })
        try process.input?.write(contentsOf: data + Data([0x0A]))
        while !buffer.contains(0x0A) {
            let chunk = process.output.availableData
            guard !chunk.isEmpty else {
                throw Failure(description: "the pyspnego peer exited (is pyspnego installed for python3?)")
            }
            buffer += chunk
        }
        let newline = buffer.firstIndex(of: 0x0A) ?? buffer.endIndex
        let line = buffer[buffer.startIndex..<newline]
        buffer = Data(buffer[buffer.index(after: newline)...])
        guard let answer = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
            throw Failure(description: "the peer answered \(String(decoding: line, as: UTF8.self))")
        }
        guard answer["ok"] as? Bool == true else {
            throw Failure(description: answer["error"] as? String ?? "the peer failed without a message")
        }
        return answer
    }

    func start(protocol name: String, users: [String], channelBindings: ChannelBindings? = nil) throws {
        _ = try call([
            "op": "start", "protocol": name, "users": users,
            "cbt": channelBindings.map { Data($0.applicationData).base64EncodedString() },
        ])
    }

    /// One acceptor step: the server's token (nil when it has none) and whether it completed.
    func step(_ token: [UInt8]) throws -> (token: [UInt8]?, complete: Bool, principal: String?) {
        let answer = try call(["op": "step", "token": Data(token).base64EncodedString()])
        return (bytes(answer["token"]), answer["complete"] as? Bool ?? false, answer["principal"] as? String)
    }

    /// The server seals `message` for the client: (signature, sealed).
    func wrap(_ message: [UInt8]) throws -> (signature: [UInt8], sealed: [UInt8]) {
        let answer = try call(["op": "wrap", "data": Data(message).base64EncodedString()])
        return (bytes(answer["header"]) ?? [], bytes(answer["data"]) ?? [])
    }

    /// The server opens a message the client sealed.
    func unwrap(signature: [UInt8], sealed: [UInt8]) throws -> [UInt8] {
        let answer = try call([
            "op": "unwrap", "header": Data(signature).base64EncodedString(), "data": Data(sealed).base64EncodedString(),
        ])
        return bytes(answer["data"]) ?? []
    }

    /// The server frames and seals a WinRM body the way pypsrp does.
    func wrapBody(_ soap: [UInt8]) throws -> [UInt8] {
        bytes(try call(["op": "wrap_body", "data": Data(soap).base64EncodedString()])["body"]) ?? []
    }

    /// The server opens a WinRM body the way pypsrp does.
    func unwrapBody(_ body: [UInt8]) throws -> [UInt8] {
        bytes(try call(["op": "unwrap_body", "body": Data(body).base64EncodedString()])["data"]) ?? []
    }

    private func bytes(_ value: Any?) -> [UInt8]? {
        guard let text = value as? String, let data = Data(base64Encoded: text) else { return nil }
        return Array(data)
    }
}
