import Foundation

/// The fake OpenAI-compatible server (Support/fake_openai_server.py) on 127.0.0.1, for one test.
final class FakeLLMServer {
    private let process = Process()
    private let input = Pipe()
    let port: Int

    init() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "fake_openai_server.py")
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw FakeServerError.noPort }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw FakeServerError.noPort }
        self.port = port
    }

    /// The base URL for one answering mode (`good`, `slow`, `invalid-value`…).
    func url(_ mode: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)/\(mode)") ?? URL(fileURLWithPath: "/")
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    enum FakeServerError: Error { case noPort }
}
