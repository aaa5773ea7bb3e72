import Crypto

/// Channel bindings of type `tls-server-end-point` (RFC 5929 §4), which tie NTLM over HTTPS to the server
/// certificate so that a TLS-terminating man in the middle cannot relay the authentication (Windows
/// `CbtHardeningLevel`).
public struct ChannelBindings: Sendable, Equatable {
    /// `tls-server-end-point:` followed by the certificate hash.
    public let applicationData: [UInt8]

    /// The bindings of the server certificate `certificateDER` (the leaf certificate the TLS handshake presented).
    public static func tlsServerEndPoint(certificateDER: [UInt8]) throws(NTLMError) -> ChannelBindings {
        ChannelBindings(applicationData: Array("tls-server-end-point:".utf8) + (try certificateHash(certificateDER)))
    }

    /// The gss_channel_bindings_struct as hashed by NTLM (MS-NLMP 2.2.2.1, RFC 2744 §3.11): zero initiator and
    /// acceptor address types and lengths, then the application data's little-endian length and the data.
    public var gssChannelBindingsStruct: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 16)
        bytes.appendLittleEndian(UInt32(applicationData.count))
        return bytes + applicationData
    }

    /// MsvAvChannelBindings: MD5 of the gss_channel_bindings_struct.
    public var md5Hash: [UInt8] { NTLMHashing.md5(gssChannelBindingsStruct) }

    /// RFC 5929 §4.1: the certificate hashed with the hash of its signatureAlgorithm, except that MD5 and SHA-1
    /// become SHA-256. Algorithms with no single hash (Ed25519, Ed448) or a hash swift-crypto lacks are refused.
    public static func certificateHash(_ certificateDER: [UInt8]) throws(NTLMError) -> [UInt8] {
        switch try CertificateSignatureAlgorithm(certificateDER: certificateDER).hash {
        case .sha256: return Array(SHA256.hash(data: certificateDER))
        case .sha384: return Array(SHA384.hash(data: certificateDER))
        case .sha512: return Array(SHA512.hash(data: certificateDER))
        }
    }
}

/// The signatureAlgorithm of an X.509 certificate (RFC 5280 §4.1.1.2), read with just enough DER.
struct CertificateSignatureAlgorithm {
    enum Hash: Equatable { case sha256, sha384, sha512 }

    /// The tls-server-end-point hash.
    let hash: Hash

    init(certificateDER: [UInt8]) throws(NTLMError) {
        // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue }
        var outer = DERReader(certificateDER)
        var certificate = try outer.read(tag: DER.sequence, "Certificate")
        try outer.expectEnd("Certificate")
        _ = try certificate.read(tag: DER.sequence, "tbsCertificate")
        var algorithm = try certificate.read(tag: DER.sequence, "signatureAlgorithm")
        _ = try certificate.read(tag: 0x03, "signatureValue")
        try certificate.expectEnd("signatureValue")
        let oid = try algorithm.read(tag: DER.objectIdentifier, "signatureAlgorithm.algorithm").contentBytes
        let dotted = DER.dottedOID(oid)
        if dotted == "1.2.840.113549.1.1.10" {
            hash = try Self.pssHash(parameters: &algorithm)
        } else if let known = Self.signatureHashes[dotted] {
            hash = known
        } else {
            throw .unsupportedCertificateSignatureAlgorithm(oid: dotted)
        }
    }

    /// Signature algorithms whose hash is fixed by the OID, mapped to the tls-server-end-point hash.
    private static let signatureHashes: [String: Hash] = [
        "1.2.840.113549.1.1.4": .sha256,  // md5WithRSAEncryption → SHA-256
        "1.2.840.113549.1.1.5": .sha256,  // sha1WithRSAEncryption → SHA-256
        "1.2.840.113549.1.1.11": .sha256,  // sha256WithRSAEncryption
        "1.2.840.113549.1.1.12": .sha384,  // sha384WithRSAEncryption
        "1.2.840.113549.1.1.13": .sha512,  // sha512WithRSAEncryption
        "1.2.840.10045.4.1": .sha256,  // ecdsa-with-SHA1 → SHA-256
        "1.2.840.10045.4.3.2": .sha256,  // ecdsa-with-SHA256
        "1.2.840.10045.4.3.3": .sha384,  // ecdsa-with-SHA384
        "1.2.840.10045.4.3.4": .sha512,  // ecdsa-with-SHA512
        "1.2.840.10040.4.3": .sha256,  // dsa-with-sha1 → SHA-256
        "2.16.840.1.101.3.4.3.2": .sha256,  // dsa-with-sha256
    ]

    /// Digest algorithms of RSASSA-PSS parameters (RFC 4055 §3.1), mapped to the tls-server-end-point hash.
    private static let digestHashes: [String: Hash] = [
        "1.3.14.3.2.26": .sha256,  // SHA-1 → SHA-256
        "2.16.840.1.101.3.4.2.1": .sha256,
        "2.16.840.1.101.3.4.2.2": .sha384,
        "2.16.840.1.101.3.4.2.3": .sha512,
    ]

    /// RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] AlgorithmIdentifier DEFAULT sha1, … }.
    private static func pssHash(parameters algorithm: inout DERReader) throws(NTLMError) -> Hash {
        guard !algorithm.isAtEnd else { throw .malformedDER("RSASSA-PSS without parameters") }
        var parameters = try algorithm.read(tag: DER.sequence, "RSASSA-PSS-params")
        try algorithm.expectEnd("RSASSA-PSS-params")
        guard parameters.peekTag == DER.context(0) else { return .sha256 }  // DEFAULT sha1 → SHA-256
        var wrapper = try parameters.read(tag: DER.context(0), "hashAlgorithm")
        var hashAlgorithm = try wrapper.read(tag: DER.sequence, "hashAlgorithm")
        let oid = DER.dottedOID(
            try hashAlgorithm.read(tag: DER.objectIdentifier, "hashAlgorithm.algorithm").contentBytes)
        guard let hash = digestHashes[oid] else {
            throw .unsupportedCertificateSignatureAlgorithm(oid: "1.2.840.113549.1.1.10 with hash \(oid)")
        }
        return hash
    }
}
