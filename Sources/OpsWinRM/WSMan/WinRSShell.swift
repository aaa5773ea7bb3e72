/// One remote shell (MS-WSMV 3.1.4.1.31, "Text-based Command Shell") and the operations on it: each method is
/// one request. ``WinRSClient`` builds command runs, polling and cleanup on top of these.
public struct WinRSShell: Sendable {
    /// The `ShellId` the service gave the shell.
    public let shellID: String
    let session: WSManSession

    /// Opens a shell (wst:Create).
    public static func create(on session: WSManSession, options: WinRSShellOptions = WinRSShellOptions())
        async throws -> WinRSShell
    {
        let body = try await session.perform(try WinRSMessages.create(options))
        let fromShell = body.child(XMLNamespace.shell, "Shell")?.child(XMLNamespace.shell, "ShellId")
        let fromReference = body.child(XMLNamespace.transfer, "ResourceCreated")?
            .child(XMLNamespace.addressing, "ReferenceParameters")?
            .child(XMLNamespace.wsman, "SelectorSet")?
            .children(XMLNamespace.wsman, "Selector").first { $0.attribute("Name") == "ShellId" }
        let shellID = WSManText.trimmed(fromShell?.text ?? fromReference?.text ?? "")
        guard !shellID.isEmpty else {
            throw WSManError.malformedResponse(operation: "Create", reason: "it names no ShellId")
        }
        return WinRSShell(shellID: shellID, session: session)
    }

    /// Starts a command in the shell and returns its `CommandId` (MS-WSMV 3.1.4.11).
    ///
    /// - Parameters:
    ///   - skipCmdShell: run the executable directly instead of through `cmd.exe /c` (then it needs a full path).
    ///   - consoleModeStdin: give the process a console as stdin instead of a pipe.
    public func command(
        _ executable: String, arguments: [String] = [], skipCmdShell: Bool = false, consoleModeStdin: Bool = false
    ) async throws -> String {
        let request = try WinRSMessages.command(
            shellID: shellID, executable: executable, arguments: arguments, skipCmdShell: skipCmdShell,
            consoleModeStdin: consoleModeStdin)
        let body = try await session.perform(request)
        let id = body.child(XMLNamespace.shell, "CommandResponse")?.child(XMLNamespace.shell, "CommandId")
        let commandID = WSManText.trimmed(id?.text ?? "")
        guard !commandID.isEmpty else {
            throw WSManError.malformedResponse(operation: "Command", reason: "it names no CommandId")
        }
        return commandID
    }

    /// Sends one chunk of stdin in one envelope (MS-WSMV 3.1.4.13); `end` closes stdin. Throws
    /// ``WSManError/invalidRequest(reason:)`` when the chunk would not fit `MaxEnvelopeSize`: use
    /// ``sendInput(commandID:_:)`` for data of any size.
    public func send(commandID: String, _ bytes: [UInt8], end: Bool) async throws {
        guard bytes.count <= (try stdinChunkSize(commandID: commandID)) else {
            throw WSManError.invalidRequest(
                reason: "\(bytes.count) bytes of stdin do not fit one envelope of "
                    + "\(session.configuration.maxEnvelopeSize) bytes; send them in chunks")
        }
        _ = try await session.perform(
            WinRSMessages.send(shellID: shellID, commandID: commandID, bytes: bytes, end: end))
    }

    /// Sends all of `bytes` as stdin in as many envelopes as `MaxEnvelopeSize` requires, then closes stdin
    /// (`End="true"` on the last chunk; an empty input sends just the end).
    public func sendInput(commandID: String, _ bytes: [UInt8]) async throws {
        let chunkSize = try stdinChunkSize(commandID: commandID)
        var start = 0
        repeat {
            try Task.checkCancellation()
            let end = min(bytes.count, start + chunkSize)
            let request = try WinRSMessages.send(
                shellID: shellID, commandID: commandID, bytes: bytes[start..<end], end: end == bytes.count)
            _ = try await session.perform(request)
            start = end
        } while start < bytes.count
    }

    /// Asks for the command's output (MS-WSMV 3.1.4.14). The `w:TimedOut` fault is not an error: it comes back
    /// as a result with ``WinRSReceiveResult/operationTimedOut`` set.
    public func receive(commandID: String) async throws -> WinRSReceiveResult {
        do {
            let body = try await session.perform(try WinRSMessages.receive(shellID: shellID, commandID: commandID))
            return try WinRSReceiveResult.parse(body, commandID: commandID)
        } catch WSManError.fault(let fault) where fault.isOperationTimeout {
            return WinRSReceiveResult(output: [], exitCode: nil, operationTimedOut: true)
        }
    }

    /// Signals the command (MS-WSMV 3.1.4.12): `terminate` ends it and frees it on the service.
    public func signal(commandID: String, _ signal: WinRSSignal) async throws {
        _ = try await session.perform(try WinRSMessages.signal(shellID: shellID, commandID: commandID, signal))
    }

    /// Deletes the shell and whatever still runs in it (wst:Delete).
    public func delete() async throws {
        _ = try await session.perform(WinRSMessages.delete(shellID: shellID))
    }

    /// The most stdin bytes one Send envelope carries: `MaxEnvelopeSize` less the envelope around the data
    /// (measured, with the longest message ID) and a margin, times 3/4 for base64.
    func stdinChunkSize(commandID: String) throws(WSManError) -> Int {
        let empty = try WinRSMessages.send(shellID: shellID, commandID: commandID, bytes: [], end: true)
        let overhead = try WSManEnvelope.render(
            empty, messageID: "uuid:" + String(repeating: "0", count: 36), configuration: session.configuration
        ).count
        let available = session.configuration.maxEnvelopeSize - overhead - Self.envelopeMargin
        guard available >= 4 else {
            throw .invalidRequest(
                reason: "MaxEnvelopeSize \(session.configuration.maxEnvelopeSize) leaves no room for stdin data")
        }
        return available / 4 * 3
    }

    /// Bytes kept free in every Send envelope, for a message ID longer than a UUID and for services that count
    /// the envelope slightly differently.
    static let envelopeMargin = 1024
}
