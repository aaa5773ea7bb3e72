import NIOCore

/// Finds where HTTP/1.1 messages begin and end in a byte stream, without decoding them, so the
/// front door knows when a request header is complete and when a response has ended while the
/// bytes pass through unchanged (RFC 9112 §6: a request's body length comes from
/// Transfer-Encoding chunked or Content-Length, else it has none; a response's also depends on
/// the request method and status, §6.3).
///
/// Anything it cannot follow (a head over 64 KiB, a malformed length or chunk) makes it give up:
/// the server behind will reject that connection anyway.
struct HTTPFraming {
    enum Kind {
        case request, response
    }

    /// What a run of bytes contained, in order.
    enum Event: Equatable {
        /// The first byte of a message head (request side only).
        case headStarted
        /// A complete head.
        case headComplete
        /// A whole message, body included (for a response: a final one, not 1xx).
        case messageComplete
        /// The rest of the stream is not HTTP (a 101 upgrade, CONNECT) or cannot be followed.
        case stoppedFollowing
    }

    private enum State {
        case betweenMessages
        case head(bytes: [UInt8])
        case fixed(remaining: Int)
        case chunkSize(line: [UInt8])
        case chunkData(remaining: Int)
        case chunkDataEnd(line: [UInt8])
        case trailers(line: [UInt8])
        case untilClose
        case stopped
    }

    static let maximumHeadSize = 64 * 1024

    let kind: Kind
    private var state = State.betweenMessages
    /// Request methods whose responses have not ended yet (a response to HEAD has no body).
    private var methods = [String]()

    init(kind: Kind) {
        self.kind = kind
    }

    /// True while a message head or body is partly received.
    var isMidMessage: Bool {
        switch state {
        case .betweenMessages, .stopped: false
        default: true
        }
    }

    var hasStopped: Bool {
        if case .stopped = state { return true }
        return false
    }

    /// Tells a response framing which request the next response answers.
    mutating func expectResponse(to method: String) {
        methods.append(method)
    }

    /// The method of the last request whose head completed (request side).
    private(set) var lastMethod = ""

    mutating func consume(_ buffer: ByteBuffer) -> [Event] {
        var events = [Event]()
        var bytes = buffer.readableBytesView[...]
        while !bytes.isEmpty {
            switch state {
            case .stopped:
                return events
            case .untilClose:
                return events
            case .betweenMessages:
                // Empty lines before a request line are ignored (RFC 9112 §2.2).
                if let byte = bytes.first, byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                    bytes = bytes.dropFirst()
                    continue
                }
                if kind == .request { events.append(.headStarted) }
                state = .head(bytes: [])
            case .head(var head):
                var complete = false
                while let byte = bytes.first {
                    bytes = bytes.dropFirst()
                    head.append(byte)
                    if byte == UInt8(ascii: "\n"), head.count >= 2,
                        head.suffix(2) == [10, 10] || head.suffix(4) == [13, 10, 13, 10]
                    {
                        complete = true
                        break
                    }
                    if head.count > Self.maximumHeadSize {
                        state = .stopped
                        events.append(.stoppedFollowing)
                        return events
                    }
                }
                guard complete else {
                    state = .head(bytes: head)
                    return events
                }
                events += headEnded(head)
            case .fixed(let remaining):
                let taken = min(remaining, bytes.count)
                bytes = bytes.dropFirst(taken)
                if taken == remaining {
                    state = .betweenMessages
                    events.append(.messageComplete)
                } else {
                    state = .fixed(remaining: remaining - taken)
                }
            case .chunkSize(var line):
                guard let (complete, rest) = Self.line(&line, from: bytes) else {
                    state = .stopped
                    events.append(.stoppedFollowing)
                    return events
                }
                bytes = rest
                guard complete else {
                    state = .chunkSize(line: line)
                    return events
                }
                let text = String(decoding: line, as: UTF8.self)
                let digits = text.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                guard let size = Int(digits.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                    state = .stopped
                    events.append(.stoppedFollowing)
                    return events
                }
                state = size == 0 ? .trailers(line: []) : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let taken = min(remaining, bytes.count)
                bytes = bytes.dropFirst(taken)
                state = taken == remaining ? .chunkDataEnd(line: []) : .chunkData(remaining: remaining - taken)
            case .chunkDataEnd(var line):
                guard let (complete, rest) = Self.line(&line, from: bytes), !complete || line.isEmpty else {
                    state = .stopped
                    events.append(.stoppedFollowing)
                    return events
                }
                bytes = rest
                state = complete ? .chunkSize(line: []) : .chunkDataEnd(line: line)
            case .trailers(var line):
                guard let (complete, rest) = Self.line(&line, from: bytes) else {
                    state = .stopped
                    events.append(.stoppedFollowing)
                    return events
                }
                bytes = rest
                if !complete {
                    state = .trailers(line: line)
                } else if line.isEmpty {
                    state = .betweenMessages
                    events.append(.messageComplete)
                } else {
                    state = .trailers(line: [])
                }
            }
        }
        return events
    }

    /// Reads up to and including a line feed into `line` (without CR LF). nil: the line is too long.
    private static func line(_ line: inout [UInt8], from bytes: ByteBufferView) -> (Bool, ByteBufferView)? {
        var rest = bytes
        while let byte = rest.first {
            rest = rest.dropFirst()
            if byte == UInt8(ascii: "\n") { return (true, rest) }
            if byte != UInt8(ascii: "\r") { line.append(byte) }
            if line.count > 4096 { return nil }
        }
        return (false, rest)
    }

    private mutating func headEnded(_ head: [UInt8]) -> [Event] {
        let lines = String(decoding: head, as: UTF8.self).split(whereSeparator: { $0 == "\r\n" || $0 == "\n" })
        guard let startLine = lines.first else {
            state = .stopped
            return [.stoppedFollowing]
        }
        let parts = startLine.split(separator: " ", omittingEmptySubsequences: true)
        var contentLength: Int?
        var chunked = false
        var upgrade = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch name {
            case "content-length":
                guard let length = Int(value), length >= 0, contentLength == nil || contentLength == length else {
                    state = .stopped
                    return [.headComplete, .stoppedFollowing]
                }
                contentLength = length
            case "transfer-encoding":
                chunked =
                    value.lowercased().split(separator: ",").last?.trimmingCharacters(in: .whitespaces)
                    == "chunked"
            case "upgrade":
                upgrade = true
            default:
                break
            }
        }
        switch kind {
        case .request:
            let method = parts.first.map(String.init) ?? ""
            lastMethod = method
            if upgrade || method == "CONNECT" {
                state = .stopped
                return [.headComplete, .stoppedFollowing]
            }
            return [.headComplete] + body(chunked: chunked, length: contentLength ?? 0)
        case .response:
            let status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            if status == 101 {
                state = .stopped
                return [.headComplete, .stoppedFollowing]
            }
            if (100..<200).contains(status) {
                state = .betweenMessages
                return [.headComplete]
            }
            let method = methods.isEmpty ? "" : methods.removeFirst()
            if method == "HEAD" || status == 204 || status == 304 {
                state = .betweenMessages
                return [.headComplete, .messageComplete]
            }
            if !chunked && contentLength == nil {
                state = .untilClose
                return [.headComplete]
            }
            return [.headComplete] + body(chunked: chunked, length: contentLength ?? 0)
        }
    }

    private mutating func body(chunked: Bool, length: Int) -> [Event] {
        if chunked {
            state = .chunkSize(line: [])
            return []
        }
        if length > 0 {
            state = .fixed(remaining: length)
            return []
        }
        state = .betweenMessages
        return [.messageComplete]
    }
}
