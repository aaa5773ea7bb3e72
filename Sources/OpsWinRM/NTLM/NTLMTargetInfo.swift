/// The TargetInfo AV_PAIR list of a CHALLENGE_MESSAGE, echoed (with additions) in the NTLMv2 response
/// (MS-NLMP 2.2.2.1).
public struct NTLMTargetInfo: Sendable, Equatable {
    /// AvId values this client reads or writes (MS-NLMP 2.2.2.1).
    public enum AvID: UInt16, Sendable {
        case eol = 0x0000
        case nbComputerName = 0x0001
        case nbDomainName = 0x0002
        case dnsComputerName = 0x0003
        case dnsDomainName = 0x0004
        case dnsTreeName = 0x0005
        case flags = 0x0006
        case timestamp = 0x0007
        case singleHost = 0x0008
        case targetName = 0x0009
        case channelBindings = 0x000A
    }

    /// One AV_PAIR: its AvId (any value, unknown ones are echoed untouched) and raw value.
    public struct Pair: Sendable, Equatable {
        public var id: UInt16
        public var value: [UInt8]
    }

    /// MsvAvFlags bit: the AUTHENTICATE_MESSAGE carries a MIC.
    static let micPresent: UInt32 = 0x0000_0002

    /// The pairs in order, without the terminating MsvAvEOL.
    public private(set) var pairs: [Pair]

    public init(pairs: [Pair] = []) { self.pairs = pairs }

    /// Parses an AV_PAIR list strictly: each pair fits in the buffer, MsvAvEOL (with length 0) ends the list,
    /// no AvId appears twice, and MsvAvFlags/MsvAvTimestamp have their fixed sizes. Bytes after MsvAvEOL are ignored.
    public init(parsing bytes: [UInt8]) throws(NTLMError) {
        var reader = NTLMByteReader(bytes, what: "TargetInfo")
        var pairs: [Pair] = []
        var seen = Set<UInt16>()
        while true {
            guard reader.remaining >= 4 else { throw .malformedTargetInfo("the list does not end with MsvAvEOL") }
            let id = try reader.readUInt16()
            let length = Int(try reader.readUInt16())
            guard length <= reader.remaining else {
                throw .malformedTargetInfo("AvId \(id) announces \(length) bytes, \(reader.remaining) remain")
            }
            let value = try reader.read(length)
            if id == AvID.eol.rawValue {
                guard length == 0 else { throw .malformedTargetInfo("MsvAvEOL with a value") }
                break
            }
            guard seen.insert(id).inserted else { throw .malformedTargetInfo("AvId \(id) appears twice") }
            if id == AvID.flags.rawValue, length != 4 { throw .malformedTargetInfo("MsvAvFlags of \(length) bytes") }
            if id == AvID.timestamp.rawValue, length != 8 {
                throw .malformedTargetInfo("MsvAvTimestamp of \(length) bytes")
            }
            pairs.append(Pair(id: id, value: value))
        }
        self.pairs = pairs
    }

    /// The value of the pair with this AvId, if any.
    public func value(_ id: AvID) -> [UInt8]? { pairs.first { $0.id == id.rawValue }?.value }

    /// MsvAvTimestamp: the server's FILETIME, which the NTLMv2 response must use when present (MS-NLMP 3.1.5.1.2).
    public var timestamp: [UInt8]? { value(.timestamp) }

    /// Replaces the value of the pair with this AvId in place, or appends the pair.
    mutating func set(_ id: AvID, _ value: [UInt8]) {
        if let index = pairs.firstIndex(where: { $0.id == id.rawValue }) {
            pairs[index].value = value
        } else {
            pairs.append(Pair(id: id.rawValue, value: value))
        }
    }

    /// The wire form, terminated by MsvAvEOL.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        for pair in pairs {
            bytes.appendLittleEndian(pair.id)
            bytes.appendLittleEndian(UInt16(truncatingIfNeeded: pair.value.count))
            bytes += pair.value
        }
        bytes += [0, 0, 0, 0]
        return bytes
    }
}
