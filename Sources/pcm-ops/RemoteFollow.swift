import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Follows a run on a remote server through its Server-Sent Events stream
/// (`GET /api/v1/runs/{id}/events`), resuming after a dropped connection from the last sequence
/// number seen, until `run.finished`.
final class RemoteFollow: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()
    private var lastSeq = 0
    private var finishedStatus: String?
    private var failure: String?
    private var onEvent: (RemoteEvent) -> Void = { _ in }
    private var done: CheckedContinuation<Void, Never>?

    struct RemoteEvent {
        var seq: Int
        var kind: String
        var data: String
    }

    /// Streams events to `onEvent`; returns the run's final status.
    static func follow(
        server: URL, token: String, run: String, onEvent: @escaping (RemoteEvent) -> Void
    ) async throws -> String {
        let follower = RemoteFollow()
        follower.onEvent = onEvent
        var attempts = 0
        while true {
            var components = URLComponents(url: server, resolvingAgainstBaseURL: false)
            components?.path = "/api/v1/runs/\(run)/events"
            components?.queryItems = [URLQueryItem(name: "after", value: String(follower.lastSeq))]
            guard let url = components?.url else { throw CLIError(description: "--server: not a URL") }
            var request = URLRequest(url: url)
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            request.setValue("text/event-stream", forHTTPHeaderField: "Accept")
            request.timeoutInterval = 3600
            let session = URLSession(configuration: .ephemeral, delegate: follower, delegateQueue: nil)
            await withCheckedContinuation { continuation in
                follower.lock.withLock { follower.done = continuation }
                session.dataTask(with: request).resume()
            }
            session.invalidateAndCancel()
            if let status = follower.lock.withLock({ follower.finishedStatus }) { return status }
            if let failure = follower.lock.withLock({ follower.failure }) { throw CLIError(description: failure) }
            attempts += 1
            guard attempts < 30 else { throw CLIError(description: "the server keeps closing the event stream") }
            try await Task.sleep(for: .seconds(1))
        }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        if let http = response as? HTTPURLResponse, http.statusCode != 200 {
            lock.withLock {
                failure =
                    "the server answered \(http.statusCode)"
                    + (http.statusCode == 401 ? " (check --token)" : http.statusCode == 404 ? " (no such run)" : "")
            }
            completionHandler(.cancel)
            finish()
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.withLock { buffer.append(data) }
        while let event = nextEvent() {
            onEvent(event)
            lock.withLock {
                lastSeq = event.seq
                if event.kind == "run.finished" {
                    let object = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any]
                    finishedStatus = object?["status"] as? String ?? "unknown"
                }
            }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        finish()
    }

    private func finish() {
        let continuation = lock.withLock {
            defer { done = nil }
            return done
        }
        continuation?.resume()
    }

    /// One complete event (blank-line terminated) from the buffer, if there is one.
    private func nextEvent() -> RemoteEvent? {
        lock.withLock {
            while let range = buffer.range(of: Data("\n\n".utf8)) {
                let block = String(decoding: buffer[buffer.startIndex..<range.lowerBound], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex..<range.upperBound)
                var fields = [String: String]()
                for line in block.split(separator: "\n") {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    let value = line[line.index(after: colon)...].drop { $0 == " " }
                    fields[String(line[..<colon])] = String(value)
                }
                if let id = fields["id"].flatMap(Int.init), let kind = fields["event"], let data = fields["data"] {
                    return RemoteEvent(seq: id, kind: kind, data: data)
                }
            }
            return nil
        }
    }
}
