import Testing

@testable import OpsWinRM

/// The multipart framing of MS-WSMV 2.2.9.1.1 against bodies framed by pywinrm (client → server) and pypsrp
/// (server → client) with pyspnego's sealing (ReferenceVectors).
@Suite("WinRM message encryption (MS-WSMV 2.2.9.1.1)")
struct WinRMEncryptionTests {
    private func session() throws -> NTLMSession {
        try NTLMSession(exportedSessionKey: SpecExample.randomSessionKey, flags: NTLMNegotiateFlags.requested)
    }

    private let contentType = NTLMSession.winRMEncryptedContentType

    /// The request body is byte for byte what pywinrm sends for the same session key and sequence number.
    @Test func encodesAsPywinrm() throws {
        var session = try session()
        let (contentType, body) = session.encodeWinRMMessage(ReferenceVectors.winRMSOAP)
        #expect(
            contentType
                == "multipart/encrypted;protocol=\"application/HTTP-SPNEGO-session-encrypted\";boundary=\"Encrypted Boundary\""
        )
        #expect(body == ReferenceVectors.winRMClientBody)
    }

    @Test func decodesWhatPypsrpFramed() throws {
        var session = try session()
        #expect(
            try session.decodeWinRMMessage(contentType: contentType, body: ReferenceVectors.winRMServerBody)
                == ReferenceVectors.winRMSOAP)
        #expect(session.inboundSequenceNumber == 1)
    }

    /// Content-Type spellings Windows and proxies produce: spaces, case, unquoted parameters.
    @Test(arguments: [
        "multipart/encrypted;protocol=\"application/HTTP-SPNEGO-session-encrypted\";boundary=\"Encrypted Boundary\"",
        "Multipart/Encrypted; Protocol=\"application/http-spnego-session-encrypted\"; boundary=\"Encrypted Boundary\"",
    ])
    func acceptsContentTypeVariants(contentType: String) throws {
        var session = try session()
        #expect(
            try session.decodeWinRMMessage(contentType: contentType, body: ReferenceVectors.winRMServerBody)
                == ReferenceVectors.winRMSOAP)
    }

    /// Exchange puts a space between the dashes and the boundary (pypsrp handles it too).
    @Test func acceptsASpaceAfterTheDashes() throws {
        var session = try session()
        let text = String(decoding: ReferenceVectors.winRMServerBody, as: UTF8.self)
        #expect(text.contains("--Encrypted Boundary"))
        let body = replace(
            Array("--Encrypted Boundary".utf8), with: Array("-- Encrypted Boundary".utf8),
            in: ReferenceVectors.winRMServerBody)
        #expect(try session.decodeWinRMMessage(contentType: contentType, body: body) == ReferenceVectors.winRMSOAP)
    }

    @Test(arguments: [
        "application/soap+xml;charset=UTF-8",
        "multipart/encrypted;protocol=\"application/HTTP-CredSSP-session-encrypted\";boundary=\"Encrypted Boundary\"",
        "multipart/x-multi-encrypted;protocol=\"application/HTTP-SPNEGO-session-encrypted\"",
    ])
    func refusesUnencryptedOrOtherProtocols(contentType: String) throws {
        var session = try session()
        #expect(throws: NTLMError.notEncrypted(contentType: contentType)) {
            try session.decodeWinRMMessage(contentType: contentType, body: ReferenceVectors.winRMServerBody)
        }
    }

    @Test func refusesAContentTypeWithoutBoundary() throws {
        var session = try session()
        #expect(throws: NTLMError.malformedEncryptedMessage("the Content-Type has no boundary")) {
            try session.decodeWinRMMessage(
                contentType: "multipart/encrypted;protocol=\"application/HTTP-SPNEGO-session-encrypted\"",
                body: ReferenceVectors.winRMServerBody)
        }
    }

    /// Altered framing: every case is a typed error and the session still opens the genuine body afterwards.
    @Test(arguments: [
        ("Length=87", "Length=86", "a Length shorter than the sealed data"),
        ("Length=87", "Length=88", "a Length longer than the sealed data"),
        ("Length=87", "Length=9999", "a Length beyond the body"),
        ("Length=87", "Length=-87", "a negative Length"),
        ("Length=87", "Size=87", "no Length"),
        ("HTTP-SPNEGO-session-encrypted\r\n", "HTTP-Kerberos-session-encrypted\r\n", "another protocol in the part"),
        ("application/octet-stream", "application/something", "another payload type"),
        ("--Encrypted Boundary--", "--Encrypted Boundary", "no closing boundary"),
        (
            "--Encrypted Boundary\r\n\tContent-Type: application/HTTP", "--Other\r\n\tContent-Type: application/HTTP",
            "a wrong first boundary"
        ),
        ("\tOriginalContent", "\tOriginalContent-without-colon\r\n\tX", "a header line without a colon"),
    ])
    func refusesAlteredFraming(original: String, altered: String, case description: String) throws {
        var session = try session()
        let body = replace(Array(original.utf8), with: Array(altered.utf8), in: ReferenceVectors.winRMServerBody)
        #expect(body != ReferenceVectors.winRMServerBody, "\(description): the alteration must apply")
        let error = #expect(throws: NTLMError.self, "\(description)") {
            try session.decodeWinRMMessage(contentType: contentType, body: body)
        }
        guard case .malformedEncryptedMessage = error else {
            Issue.record("\(description): \(String(describing: error))")
            return
        }
        #expect(
            try session.decodeWinRMMessage(contentType: contentType, body: ReferenceVectors.winRMServerBody)
                == ReferenceVectors.winRMSOAP)
    }

    @Test func refusesTrailingBytesAndTruncations() throws {
        var session = try session()
        #expect(throws: NTLMError.malformedEncryptedMessage("3 bytes after the closing boundary")) {
            try session.decodeWinRMMessage(
                contentType: contentType, body: ReferenceVectors.winRMServerBody + [1, 2, 3])
        }
        for length in stride(from: 0, to: ReferenceVectors.winRMServerBody.count - 2, by: 7) {
            #expect(throws: NTLMError.self) {
                try session.decodeWinRMMessage(
                    contentType: contentType, body: Array(ReferenceVectors.winRMServerBody.prefix(length)))
            }
        }
    }

    @Test func refusesASignatureLengthOtherThan16() throws {
        var session = try session()
        let body = replace(
            Array("octet-stream\r\n".utf8) + [16, 0, 0, 0], with: Array("octet-stream\r\n".utf8) + [15, 0, 0, 0],
            in: ReferenceVectors.winRMServerBody)
        #expect(throws: NTLMError.malformedEncryptedMessage("signature length 15, NTLM signatures have 16 bytes")) {
            try session.decodeWinRMMessage(contentType: contentType, body: body)
        }
    }

    /// A flipped bit in the sealed SOAP: the signature check fails and the session is unchanged.
    @Test func refusesATamperedPayload() throws {
        var session = try session()
        var body = ReferenceVectors.winRMServerBody
        body[body.count - 40] ^= 0x01
        #expect(throws: NTLMError.signatureMismatch) {
            try session.decodeWinRMMessage(contentType: contentType, body: body)
        }
        #expect(session.inboundSequenceNumber == 0)
    }

    /// A body of two encrypted parts (allowed by the framing): both are opened, in order.
    @Test func decodesSeveralParts() throws {
        var server = try NTLMSession(
            exportedSessionKey: SpecExample.randomSessionKey, flags: NTLMNegotiateFlags.requested, role: .server)
        let first = server.encodeWinRMMessage(Array("<a/>".utf8)).body
        let second = server.encodeWinRMMessage(Array("<b/>".utf8)).body
        let closing = Array("--Encrypted Boundary--\r\n".utf8)
        let joined = Array(first.dropLast(closing.count)) + second
        var client = try session()
        #expect(try client.decodeWinRMMessage(contentType: contentType, body: joined) == Array("<a/><b/>".utf8))
    }

    private func replace(_ original: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard original.count <= bytes.count else { return bytes }
        for start in 0...(bytes.count - original.count) where Array(bytes[start..<start + original.count]) == original {
            return Array(bytes[..<start]) + replacement + Array(bytes[(start + original.count)...])
        }
        return bytes
    }
}
