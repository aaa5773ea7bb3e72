import Foundation

@testable import OpsAWS

/// An in-memory `AWSHTTPTransport`: answers each request with `respond` and records what was sent.
actor FakeHTTPTransport: AWSHTTPTransport {
    typealias Responder = @Sendable (AWSHTTPRequest, Int) throws -> AWSHTTPResponse

    private let respond: Responder
    private(set) var requests: [AWSHTTPRequest] = []

    init(_ respond: @escaping Responder) {
        self.respond = respond
    }

    /// Answers the n-th request (0-based) with `responses[n]`, and fails the test's request past the end.
    init(sequence responses: [AWSHTTPResponse]) {
        respond = { request, index in
            guard index < responses.count else { throw AWSError.transport(reason: "unexpected \(request.url)") }
            return responses[index]
        }
    }

    func send(_ request: AWSHTTPRequest) async throws -> AWSHTTPResponse {
        let index = requests.count
        requests.append(request)
        return try respond(request, index)
    }

    /// The form fields of the n-th request's body.
    func form(_ index: Int) -> [String: String] {
        Self.formFields(requests[index].body)
    }

    static func formFields(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? String(parts[1]).removingPercentEncoding ?? "" : ""
            fields[String(parts[0]).removingPercentEncoding ?? ""] = value
        }
        return fields
    }
}

extension AWSHTTPRequest {
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

extension AWSHTTPResponse {
    static func xml(_ text: String, status: Int = 200, headers: [(name: String, value: String)] = []) -> Self {
        AWSHTTPResponse(status: status, headers: headers, body: Array(text.utf8))
    }

    static func text(_ text: String, status: Int = 200) -> Self {
        AWSHTTPResponse(status: status, body: Array(text.utf8))
    }
}

/// A clock tests set and move.
final class TestClock: AWSClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        current = start
    }

    func now() -> Date {
        lock.withLock { current }
    }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }
}

/// Counts calls and hands out whatever `make` builds for the n-th call.
actor CountingCredentialProvider: AWSCredentialProvider {
    private let make: @Sendable (Int) throws -> ProvidedCredentials
    private(set) var calls = 0

    init(_ make: @escaping @Sendable (Int) throws -> ProvidedCredentials) {
        self.make = make
    }

    func credentials() async throws -> ProvidedCredentials {
        calls += 1
        return try make(calls)
    }
}
