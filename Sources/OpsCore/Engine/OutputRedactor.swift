/// Replaces known secret values (secret parameters, credential passwords) in captured output with
/// `***` (DESIGN.md §7).
public struct OutputRedactor: Sendable {
    public static let mask: [UInt8] = Array("***".utf8)
    /// Longest first, so a secret that contains another is masked whole.
    let secrets: [[UInt8]]

    public init(secrets: [String]) {
        self.secrets = Set(secrets.filter { !$0.isEmpty }).map { Array($0.utf8) }.sorted { $0.count > $1.count }
    }

    public var isEmpty: Bool { secrets.isEmpty }
    var longest: Int { secrets.first?.count ?? 0 }

    public func redact(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        return String(decoding: redact(Array(text.utf8)), as: UTF8.self)
    }

    public func redact(_ bytes: [UInt8]) -> [UInt8] {
        guard !secrets.isEmpty, !bytes.isEmpty else { return bytes }
        var output = [UInt8]()
        output.reserveCapacity(bytes.count)
        var index = 0
        outer: while index < bytes.count {
            for secret in secrets where bytes.count - index >= secret.count && bytes[index] == secret[0] {
                if bytes[index..<(index + secret.count)].elementsEqual(secret) {
                    output.append(contentsOf: Self.mask)
                    index += secret.count
                    continue outer
                }
            }
            output.append(bytes[index])
            index += 1
        }
        return output
    }

    /// A redactor for one stream that arrives in chunks: it holds back the tail that could be the
    /// start of a secret (or of a UTF-8 character) until the next chunk or the end.
    public func stream() -> Stream { Stream(redactor: self) }

    public struct Stream: Sendable {
        let redactor: OutputRedactor
        var pending: [UInt8] = []

        /// The text that is safe to show now.
        public mutating func push(_ chunk: [UInt8]) -> String {
            let combined = redactor.redact(pending + chunk)
            var cut = combined.count - max(0, redactor.longest - 1)
            if cut <= 0 {
                pending = combined
                return ""
            }
            // Never split a UTF-8 character: back up over continuation bytes and an unfinished lead byte.
            cut = Self.characterBoundary(combined, atOrBefore: cut)
            pending = Array(combined[cut...])
            return String(decoding: combined[..<cut], as: UTF8.self)
        }

        /// Whatever is still held back, at the end of the stream.
        public mutating func finish() -> String {
            defer { pending = [] }
            return String(decoding: pending, as: UTF8.self)
        }

        static func characterBoundary(_ bytes: [UInt8], atOrBefore limit: Int) -> Int {
            guard limit > 0 else { return 0 }
            // Find the start of the last character that begins before `limit`; keep it only if complete.
            var start = limit
            var steps = 0
            while start > 0 && steps < 4 {
                start -= 1
                steps += 1
                let byte = bytes[start]
                if byte & 0xC0 != 0x80 {
                    let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                    return start + length <= limit ? limit : start
                }
            }
            return limit
        }
    }
}
