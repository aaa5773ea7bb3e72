import Testing

@testable import OpsWinRM

/// tls-server-end-point (RFC 5929 §4.1) of certificates made by `openssl req`; the expected hashes were computed by
/// `openssl x509 -outform DER | openssl dgst`, the MD5s over pyspnego's gss_channel_bindings_struct
/// (Support/make_reference_vectors.py).
@Suite("Channel bindings (RFC 5929 tls-server-end-point)")
struct ChannelBindingsTests {
    @Test(arguments: [
        (
            ReferenceVectors.certificate_rsaSHA256, ReferenceVectors.certificateHash_rsaSHA256,
            ReferenceVectors.channelBindingsMD5_rsaSHA256, "sha256WithRSAEncryption"
        ),
        (
            ReferenceVectors.certificate_rsaSHA1, ReferenceVectors.certificateHash_rsaSHA1,
            ReferenceVectors.channelBindingsMD5_rsaSHA1, "sha1WithRSAEncryption hashed with SHA-256"
        ),
        (
            ReferenceVectors.certificate_rsaSHA512, ReferenceVectors.certificateHash_rsaSHA512,
            ReferenceVectors.channelBindingsMD5_rsaSHA512, "sha512WithRSAEncryption"
        ),
        (
            ReferenceVectors.certificate_ecdsaSHA384, ReferenceVectors.certificateHash_ecdsaSHA384,
            ReferenceVectors.channelBindingsMD5_ecdsaSHA384, "ecdsa-with-SHA384"
        ),
        (
            ReferenceVectors.certificate_rsaPSSSHA384, ReferenceVectors.certificateHash_rsaPSSSHA384,
            ReferenceVectors.channelBindingsMD5_rsaPSSSHA384, "RSASSA-PSS with SHA-384"
        ),
    ])
    func hashesWithTheSignatureAlgorithmsHash(
        certificate: [UInt8], expectedHash: [UInt8], expectedMD5: [UInt8], algorithm: String
    ) throws {
        #expect(try ChannelBindings.certificateHash(certificate) == expectedHash, "\(algorithm)")
        let bindings = try ChannelBindings.tlsServerEndPoint(certificateDER: certificate)
        #expect(bindings.applicationData == Array("tls-server-end-point:".utf8) + expectedHash)
        #expect(bindings.md5Hash == expectedMD5, "\(algorithm)")
    }

    @Test func gssStructLayout() throws {
        let bindings = ChannelBindings(applicationData: Array("tls-server-end-point:".utf8) + [1, 2])
        #expect(
            bindings.gssChannelBindingsStruct == [UInt8](repeating: 0, count: 16) + [23, 0, 0, 0]
                + bindings.applicationData)
    }

    /// Ed25519 signs without a separate hash: RFC 5929 leaves its bindings undefined.
    @Test func refusesEd25519() {
        #expect(throws: NTLMError.unsupportedCertificateSignatureAlgorithm(oid: "1.3.101.112")) {
            try ChannelBindings.certificateHash(ReferenceVectors.certificate_ed25519)
        }
    }

    /// An RSASSA-PSS certificate whose hash is not one swift-crypto has (SHA-224 here).
    @Test func refusesPSSWithAnUnsupportedHash() throws {
        let pss = DER.encode(tag: DER.objectIdentifier, hex("2a864886f70d01010a"))
        let sha224 = DER.encode(tag: DER.sequence, DER.encode(tag: DER.objectIdentifier, hex("608648016503040204")))
        let parameters = DER.encode(tag: DER.sequence, DER.encode(tag: DER.context(0), sha224))
        let certificate = DER.encode(
            tag: DER.sequence,
            DER.encode(tag: DER.sequence, []) + DER.encode(tag: DER.sequence, pss + parameters)
                + DER.encode(tag: 0x03, [0]))
        #expect(
            throws: NTLMError.unsupportedCertificateSignatureAlgorithm(
                oid: "1.2.840.113549.1.1.10 with hash 2.16.840.1.101.3.4.2.4")
        ) { try ChannelBindings.certificateHash(certificate) }
    }

    @Test func everyTruncationIsATypedError() {
        let certificate = ReferenceVectors.certificate_ecdsaSHA384
        for length in 0..<certificate.count {
            #expect(throws: NTLMError.self) { try ChannelBindings.certificateHash(Array(certificate.prefix(length))) }
        }
    }

    @Test(arguments: [
        ("", "empty"),
        ("3100", "a SET"),
        ("3000", "no tbsCertificate"),
        ("30023000", "no signatureAlgorithm"),
        ("3006300030020400", "an AlgorithmIdentifier without OID"),
        ("300930003003060100", "no signatureValue"),
    ])
    func refusesMalformedCertificates(der: String, case description: String) {
        #expect(throws: NTLMError.self, "\(description)") { try ChannelBindings.certificateHash(hex(der)) }
    }

    @Test func refusesAnUnknownSignatureAlgorithm() {
        #expect(throws: NTLMError.unsupportedCertificateSignatureAlgorithm(oid: "1.2.3")) {
            try ChannelBindings.certificateHash(hex("300b 3000 3004 06022a03 030100"))
        }
    }

    @Test func refusesTrailingBytesAfterTheCertificate() {
        #expect(throws: NTLMError.malformedDER("1 unexpected bytes after Certificate")) {
            try ChannelBindings.certificateHash(ReferenceVectors.certificate_rsaSHA256 + [0])
        }
    }
}
