/// What a PEM private key holds, read from its DER just far enough to pick a decoder:
/// PKCS #8 `PrivateKeyInfo` (RFC 5208 §5: version, AlgorithmIdentifier, OCTET STRING) or SEC 1 `ECPrivateKey`
/// (RFC 5915 §3: version 1, OCTET STRING d, [0] named curve, [1] public key).
enum PEMPrivateKeyAlgorithm: Equatable {
    /// ECDSA on a NIST curve, named as SSH names it ("nistp256", "nistp384", "nistp521").
    case ecdsa(curve: String)
    /// Ed25519 (RFC 8410), with its 32-byte seed.
    case ed25519(seed: [UInt8])
    case rsa
    case dsa
    /// Something else (Ed448, X25519, an unknown curve).
    case other

    private static let ecPublicKeyOID: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
    private static let rsaEncryptionOID: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
    private static let dsaOID: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x01]
    private static let ed25519OID: [UInt8] = [0x2B, 0x65, 0x70]
    private static let curveOIDs: [[UInt8]: String] = [
        [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]: "nistp256",
        [0x2B, 0x81, 0x04, 0x00, 0x22]: "nistp384",
        [0x2B, 0x81, 0x04, 0x00, 0x23]: "nistp521",
    ]

    /// Classifies a PKCS #8 `PrivateKeyInfo`; nil when the DER is not one.
    static func pkcs8(_ der: [UInt8]) -> PEMPrivateKeyAlgorithm? {
        var outer = DERReader(der)
        guard let info = outer.read(tag: DERReader.sequence) else { return nil }
        var fields = DERReader(info)
        guard fields.read(tag: DERReader.integer) != nil,
            let algorithmIdentifier = fields.read(tag: DERReader.sequence),
            let privateKey = fields.read(tag: DERReader.octetString)
        else { return nil }
        var algorithm = DERReader(algorithmIdentifier)
        guard let oid = algorithm.read(tag: DERReader.objectIdentifier) else { return nil }
        switch Array(oid) {
        case ecPublicKeyOID:
            guard let curveOID = algorithm.read(tag: DERReader.objectIdentifier) else { return nil }
            return curveOIDs[Array(curveOID)].map { .ecdsa(curve: $0) } ?? .other
        case rsaEncryptionOID: return .rsa
        case dsaOID: return .dsa
        case ed25519OID:
            var inner = DERReader(privateKey)
            guard let seed = inner.read(tag: DERReader.octetString), seed.count == 32 else { return nil }
            return .ed25519(seed: Array(seed))
        default: return .other
        }
    }

    /// Classifies a SEC 1 `ECPrivateKey` by its named curve, or by the scalar length when the curve is omitted.
    static func sec1(_ der: [UInt8]) -> PEMPrivateKeyAlgorithm? {
        var outer = DERReader(der)
        guard let body = outer.read(tag: DERReader.sequence) else { return nil }
        var fields = DERReader(body)
        guard fields.read(tag: DERReader.integer) != nil, let scalar = fields.read(tag: DERReader.octetString) else {
            return nil
        }
        if let parameters = fields.read(tag: 0xA0) {
            var explicit = DERReader(parameters)
            guard let curveOID = explicit.read(tag: DERReader.objectIdentifier) else { return .other }
            return curveOIDs[Array(curveOID)].map { .ecdsa(curve: $0) } ?? .other
        }
        switch scalar.count {
        case 32: return .ecdsa(curve: "nistp256")
        case 48: return .ecdsa(curve: "nistp384")
        case 66: return .ecdsa(curve: "nistp521")
        default: return .other
        }
    }
}

/// A minimal DER (X.690 §8, §10) reader: definite lengths, single-byte tags, which is all key containers use.
struct DERReader {
    static let integer: UInt8 = 0x02
    static let octetString: UInt8 = 0x04
    static let objectIdentifier: UInt8 = 0x06
    static let sequence: UInt8 = 0x30

    private var bytes: ArraySlice<UInt8>

    init(_ bytes: some Collection<UInt8>) {
        self.bytes = ArraySlice(bytes)
    }

    /// The content of the next element if it has tag `tag`; nil (consuming nothing) otherwise.
    mutating func read(tag: UInt8) -> ArraySlice<UInt8>? {
        var cursor = bytes
        guard cursor.popFirst() == tag, let first = cursor.popFirst() else { return nil }
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard (1...4).contains(count), cursor.count >= count else { return nil }
            for _ in 0..<count {
                guard let byte = cursor.popFirst() else { return nil }
                length = (length << 8) | Int(byte)
            }
        }
        guard length <= cursor.count else { return nil }
        let content = cursor.prefix(length)
        bytes = cursor.dropFirst(length)
        return content
    }
}
