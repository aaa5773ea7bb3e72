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
                // Taken in bulk (a byte at a time cost every request a measurable share of the server's CPU), then
                // searched for the blank line from just before what was there already.
                let searchFrom = max(0, head.count - 3)
                let available = min(bytes.count, Self.maximumHeadSize + 1 - head.count)
                let before = head.count
                head.append(contentsOf: bytes.prefix(available))
                if let end = Self.headEnd(in: head, from: searchFrom) {
                    bytes = bytes.dropFirst(end - before)
                    head.removeSubrange(end...)
                    events += headEnded(head)
                } else if head.count > Self.maximumHeadSize {
                    state = .stopped
                    events.append(.stoppedFollowing)
                    return events
                } else {
                    state = .head(bytes: head)
                    return events
                }
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

    /// The index just past the blank line (LF LF or CR LF CR LF) that ends a head, searching from `start`.
    private static func headEnd(in head: [UInt8], from start: Int) -> Int? {
        var index = start
        while index < head.count {
            if head[index] == 10 {
                if index >= 1, head[index - 1] == 10 { return index + 1 }
                if index >= 3, head[index - 1] == 13, head[index - 2] == 10, head[index - 3] == 13 { return index + 1 }
            }
            index += 1
        }
        return nil
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
        // Read as bytes: lines end at LF (a CR before it is dropped), empty ones are skipped.
        let lines = head.split(separator: 10).map { $0.last == 13 ? $0.dropLast() : $0 }.filter { !$0.isEmpty }
        guard let startLine = lines.first else {
            state = .stopped
            return [.stoppedFollowing]
        }
        let parts = startLine.split(separator: 32).map { String(decoding: $0, as: UTF8.self) }
        var contentLength: Int?
        var chunked = false
        var upgrade = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = line[..<colon]
            let value = { Self.trimmed(line[line.index(after: colon)...]) }
            if Self.named(name, "content-length") {
                guard let length = Int(value()), length >= 0, contentLength == nil || contentLength == length else {
                    state = .stopped
                    return [.headComplete, .stoppedFollowing]
                }
                contentLength = length
            } else if Self.named(name, "transfer-encoding") {
                chunked =
                    value().lowercased().split(separator: ",").last?.trimmingCharacters(in: .whitespaces) == "chunked"
            } else if Self.named(name, "upgrade") {
                upgrade = true
            }
        }
        switch kind {
        case .request:
            let method = parts.first ?? ""
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

    /// Whether a header's name is `lowercase`, in any case.
    private static func named(_ name: ArraySlice<UInt8>, _ lowercase: StaticString) -> Bool {
        guard name.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { expected in
            zip(name, expected).allSatisfy { byte, wanted in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 == wanted : byte == wanted
            }
        }
    }

    /// A header's value without the spaces and tabs around it.
    private static func trimmed(_ value: ArraySlice<UInt8>) -> String {
        let blank: (UInt8) -> Bool = { $0 == 32 || $0 == 9 }
        guard let first = value.firstIndex(where: { !blank($0) }), let last = value.lastIndex(where: { !blank($0) })
        else { return "" }
        return String(decoding: value[first...last], as: UTF8.self)
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
