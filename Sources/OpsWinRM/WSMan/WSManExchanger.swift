/// What came back for one WS-Management request: the HTTP status and the body, already decrypted when the
/// connection seals its messages.
public struct WSManHTTPResponse: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// Carries SOAP envelopes to a WinRM listener and brings the answers back: the HTTP connection with its
/// authentication, message encryption and TLS lives behind this, so the WinRS layer above it runs the same
/// over a real connection, an in-memory fake and a replay of recorded exchanges.
///
/// Contract for implementations:
/// - `exchange` sends one envelope as one HTTP POST (`Content-Type: application/soap+xml;charset=UTF-8`) and
///   returns the status and body of the answer, whatever the status; it throws only when no answer came
///   (connection refused or lost, authentication impossible, TLS failure).
/// - Calls may overlap only if the implementation serialises or multiplexes them itself; the WinRS client
///   issues one request at a time per shell, and cleans up (Signal, Delete) right after a cancelled call.
/// - When the calling task is cancelled, `exchange` must return promptly by throwing `CancellationError`, even
///   while the service holds a Receive open; abandoning the connection is acceptable (the next call may open
///   and authenticate a new one: shells outlive connections).
public protocol WSManExchanger: Sendable {
    func exchange(_ envelope: [UInt8]) async throws -> WSManHTTPResponse
}
