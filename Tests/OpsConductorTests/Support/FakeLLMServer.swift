import Foundation
import OpsTestSupport

/// The fake OpenAI-compatible server (Support/fake_openai_server.py) on 127.0.0.1, for one test.
///
/// Starting it (waiting for its port) and stopping it (waiting for it to exit) block, so both happen on a thread of
/// their own: tests run in parallel in one process on a cooperative pool as wide as the machine's cores (two here),
/// and a blocked pool thread stalls every other suite — deadlines of unrelated tests then passed while nothing ran.
final class FakeLLMServer: @unchecked Sendable {
    private let process: ChildProcess
    let port: Int

    /// Starts a server and waits for its port, off the cooperative pool.
    static func start() async throws -> FakeLLMServer {
        try await offPool { try FakeLLMServer() }
    }

    private init() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "fake_openai_server.py")
        process = try ChildProcess("/usr/bin/env", ["python3", script.path], pipedInput: true, errors: .inherit)
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = process.output.availableData
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

    /// Stops the server and waits until it has exited (its port is closed then), off the cooperative pool.
    func stop() async {
        try? process.input?.close()
        let process = process
        _ = try? await Self.offPool { process.wait() }
    }

    deinit {
        // The server exits when its standard input closes; nobody waits for it here.
        try? process.input?.close()
    }

    private static func offPool<T>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
            }
        }
    }

    enum FakeServerError: Error { case noPort }
}
