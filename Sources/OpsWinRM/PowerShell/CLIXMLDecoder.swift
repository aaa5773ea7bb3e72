/// Turns the stderr of `powershell.exe` into readable text, chunk by chunk as Receives bring it.
///
/// When stderr is not a console, Windows PowerShell writes its error, warning, verbose, debug, information and
/// progress records there as CLIXML: a `#< CLIXML` line, then `<Objs …>` with one element per record, then
/// `</Objs>` when the process ends. Read raw, this looks like an error even when only progress was reported
/// (pywinrm#166, #169, ansible#67964). What comes out:
/// - `<S S="Error">` records: their text, `_xHHHH_` escapes decoded (they carry their own CR LF line ends);
/// - `<S S="Warning">` records: `WARNING: ` and their text, as the PowerShell console shows them, so an
///   operator still sees them;
/// - progress, verbose, debug and information records: dropped. Progress is noise; information records
///   repeat `Write-Host` text that stdout already carries; verbose and debug appear only when a script asks
///   for them and are not errors;
/// - string records of any other stream, and objects with a `ToString`: their text, so nothing unknown is lost;
/// - everything that is not CLIXML (text written with `[Console]::Error`, a header not followed by `<Objs`, a
///   record that is not well-formed XML): passed through byte for byte.
///
/// A record split across chunks is held until its end arrives; text is passed on as soon as it cannot be the
/// start of a `#< CLIXML` header. Call ``finish()`` after the last chunk.
public struct CLIXMLDecoder: Sendable {
    /// A record larger than this is not waited for: its bytes pass through as they are.
    static let maximumRecordSize = 1 << 20

    private enum Mode: Sendable {
        /// Plain text, watching for the header.
        case text
        /// After `#< CLIXML` (or a block's `</Objs>`), before `<Objs …>`.
        case header
        /// Inside `<Objs>`, between records.
        case records
    }

    private var mode = Mode.text
    /// Bytes received and not yet decided on.
    private var buffer: [UInt8] = []
    /// Bytes of the CLIXML block consumed since the last decoded record (header, `<Objs …>`): passed through if
    /// the block turns out not to be CLIXML after all.
    private var held: [UInt8] = []

    public init() {}

    /// Decodes one chunk of stderr; returns the readable text it completes (possibly empty).
    public mutating func decode(_ chunk: [UInt8]) -> [UInt8] {
        buffer += chunk
        return process(final: false)
    }

    /// Returns whatever is still held after the last chunk: an unfinished block passes through unchanged.
    public mutating func finish() -> [UInt8] {
        let output = process(final: true)
        mode = .text
        return output
    }

    /// Decodes a complete stderr at once.
    public static func decode(_ stderr: [UInt8]) -> [UInt8] {
        var decoder = CLIXMLDecoder()
        return decoder.decode(stderr) + decoder.finish()
    }

    private mutating func process(final: Bool) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        scanning: while true {
            switch mode {
            case .text:
                if let start = Self.find(Self.header, in: buffer, from: index) {
                    output += buffer[index..<start]
                    held = Self.header
                    index = start + Self.header.count
                    mode = .header
                } else {
                    let keep = final ? 0 : Self.partialMatch(of: Self.header, atEndOf: buffer[index...])
                    output += buffer[index..<(buffer.count - keep)]
                    index = buffer.count - keep
                    break scanning
                }
            case .header:
                while index < buffer.count, Self.isWhitespace(buffer[index]) {
                    held.append(buffer[index])
                    index += 1
                }
                let rest = buffer[index...]
                if rest.starts(with: Self.header) {
                    // A repeated header (ansible#69550).
                    held += Self.header
                    index += Self.header.count
                } else {
                    switch Self.scanObjectsStartTag(rest) {
                    case .complete(let end):
                        held += buffer[index..<end]
                        index = end
                        mode = .records
                    case .incomplete where !final:
                        break scanning
                    case .incomplete, .invalid:
                        if !final && Self.header.starts(with: rest) { break scanning }
                        output += held
                        held = []
                        mode = .text
                    }
                }
            case .records:
                while index < buffer.count, Self.isWhitespace(buffer[index]) {
                    held.append(buffer[index])
                    index += 1
                }
                let rest = buffer[index...]
                if rest.starts(with: Self.objectsEndTag) {
                    // Another <Objs> block may follow without a header of its own (ansible#69550).
                    index += Self.objectsEndTag.count
                    held = []
                    mode = .header
                    continue scanning
                }
                if rest.isEmpty || (!final && Self.objectsEndTag.starts(with: rest)) {
                    if final {
                        output += held
                        held = []
                    }
                    break scanning
                }
                switch CLIXMLRecordScanner.scan(rest) {
                case .complete(let end):
                    if let text = CLIXMLRecord.readableText(of: buffer[index..<end]) {
                        output += text
                    } else {
                        output += held + buffer[index..<end]
                    }
                    held = []
                    index = end
                case .incomplete where !final && rest.count <= Self.maximumRecordSize:
                    break scanning
                case .incomplete, .invalid:
                    output += held
                    held = []
                    mode = .text
                }
            }
        }
        buffer.removeFirst(index)
        return output
    }

    private static let header = Array("#< CLIXML".utf8)
    private static let objectsStart = Array("<Objs".utf8)
    private static let objectsEndTag = Array("</Objs>".utf8)

    /// Whether `bytes` start with a complete `<Objs …>` start tag, may still grow into one, or cannot.
    private static func scanObjectsStartTag(_ bytes: ArraySlice<UInt8>) -> CLIXMLRecordScanner.Scan {
        guard bytes.count > objectsStart.count else {
            return objectsStart.starts(with: bytes) ? .incomplete : .invalid
        }
        let next = bytes[bytes.startIndex + objectsStart.count]
        guard bytes.starts(with: objectsStart), isWhitespace(next) || next == UInt8(ascii: ">") else { return .invalid }
        let scan = CLIXMLRecordScanner.scanStartTag(bytes)
        if case .complete(let end) = scan, bytes[end - 2] == UInt8(ascii: "/") { return .invalid }
        return scan
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var position = start
        while position <= haystack.count - needle.count {
            if haystack[position] == needle[0] && haystack[position..<(position + needle.count)].elementsEqual(needle) {
                return position
            }
            position += 1
        }
        return nil
    }

    /// How many bytes at the end of `bytes` are a proper prefix of `needle` (and may complete it later).
    private static func partialMatch(of needle: [UInt8], atEndOf bytes: ArraySlice<UInt8>) -> Int {
        for length in stride(from: min(needle.count - 1, bytes.count), to: 0, by: -1)
        where bytes.suffix(length).elementsEqual(needle.prefix(length)) {
            return length
        }
        return 0
    }
}
