/// Bounds-checked little-endian reads over an NTLM message: every read either succeeds inside the buffer or throws
/// `NTLMError.truncated`, so a hostile length can never cause an out-of-bounds access.
struct NTLMByteReader {
    let bytes: [UInt8]
    let what: String
    private(set) var offset = 0

    init(_ bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.what = what
    }

    var remaining: Int { bytes.count - offset }

    mutating func read(_ count: Int) throws(NTLMError) -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw .truncated(what: what, needed: offset + count, available: bytes.count)
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func readUInt16() throws(NTLMError) -> UInt16 {
        let raw = try read(2)
        return UInt16(raw[0]) | UInt16(raw[1]) << 8
    }

    mutating func readUInt32() throws(NTLMError) -> UInt32 {
        let raw = try read(4)
        return UInt32(raw[0]) | UInt32(raw[1]) << 8 | UInt32(raw[2]) << 16 | UInt32(raw[3]) << 24
    }

    /// A payload field (MS-NLMP 2.2.1: Len, MaxLen, BufferOffset) resolved against the whole message.
    /// `payloadStart` is the end of the fixed header: a non-empty field may not point into it.
    mutating func readPayloadField(_ name: String, payloadStart: Int) throws(NTLMError) -> [UInt8] {
        let length = Int(try readUInt16())
        _ = try readUInt16()  // MaxLen: ignored on receipt (MS-NLMP 2.2.1.2)
        let fieldOffset = Int(try readUInt32())
        guard length > 0 else { return [] }
        guard fieldOffset >= payloadStart, fieldOffset <= bytes.count, length <= bytes.count - fieldOffset else {
            throw .fieldOutOfBounds(field: name, offset: fieldOffset, length: length, messageLength: bytes.count)
        }
        return Array(bytes[fieldOffset..<fieldOffset + length])
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func appendLittleEndian(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func appendLittleEndian(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// Lower-case hexadecimal, for messages.
    var hexString: String { map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }

    /// UTF-16LE, the encoding of every NTLM string once NTLMSSP_NEGOTIATE_UNICODE is negotiated.
    init(utf16LittleEndian string: String) {
        self.init()
        reserveCapacity(string.utf16.count * 2)
        for unit in string.utf16 { appendLittleEndian(unit) }
    }
}
