/// Reads the SSH wire encoding (RFC 4251 §5): `uint32` big-endian, `string` as a uint32 length then that many
/// bytes, `mpint` as a string holding a two's-complement big-endian integer.
///
/// Every read names the field it wants, so a damaged key reports "truncated while reading the comment" rather
/// than an offset. Errors carry field names only, never bytes.
struct SSHWireReader {
    private let bytes: [UInt8]
    private var position: Int
    /// Builds the error for a read past the end; key files and public keys report it differently.
    private let failure: @Sendable (String) -> SSHError

    init<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, failure: @escaping @Sendable (String) -> SSHError = { SSHError.malformedKey($0) }
    ) {
        self.bytes = Array(bytes)
        self.position = 0
        self.failure = failure
    }

    /// Bytes not read yet.
    var remainingCount: Int { bytes.count - position }

    mutating func readUInt32(_ field: String) throws(SSHError) -> UInt32 {
        let raw = try readBytes(count: 4, field)
        return raw.reduce(0) { ($0 << 8) | UInt32($1) }
    }

    mutating func readBytes(count: Int, _ field: String) throws(SSHError) -> [UInt8] {
        guard count >= 0, count <= remainingCount else {
            throw failure("truncated while reading the \(field)")
        }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    /// An RFC 4251 `string`: arbitrary bytes with a length prefix.
    mutating func readString(_ field: String) throws(SSHError) -> [UInt8] {
        let length = try readUInt32(field)
        guard Int(length) <= remainingCount else {
            throw failure("the \(field) is longer than the data that remains (truncated or damaged)")
        }
        return try readBytes(count: Int(length), field)
    }

    /// A `string` that must be UTF-8 text, such as an algorithm name.
    mutating func readText(_ field: String) throws(SSHError) -> String {
        let raw = try readString(field)
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw failure("the \(field) is not UTF-8 text")
        }
        return text
    }

    /// A non-negative `mpint` as its magnitude, big-endian, without leading zero bytes.
    mutating func readPositiveMPInt(_ field: String) throws(SSHError) -> [UInt8] {
        let raw = try readString(field)
        if let first = raw.first, first & 0x80 != 0 {
            throw failure("the \(field) is negative")
        }
        return Array(raw.drop(while: { $0 == 0 }))
    }

    /// Everything not read yet.
    mutating func readRemaining() -> [UInt8] {
        defer { position = bytes.count }
        return Array(bytes[position...])
    }
}
