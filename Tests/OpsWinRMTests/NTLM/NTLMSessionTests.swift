import Testing

@testable import OpsWinRM

/// Session security against messages sealed by pyspnego's acceptor (ReferenceVectors, RandomSessionKey 0x55 × 16).
@Suite("NTLM session security (MS-NLMP 3.4)")
struct NTLMSessionTests {
    private func clientSession() throws -> NTLMSession {
        try NTLMSession(exportedSessionKey: SpecExample.randomSessionKey, flags: NTLMNegotiateFlags.requested)
    }

    @Test func unsealsTheServersMessagesInOrder() throws {
        var session = try clientSession()
        let vectors = ReferenceVectors.self
        #expect(
            try session.unseal(vectors.serverSealed0, signature: vectors.serverSignature0)
                == Array("first message".utf8))
        #expect(
            try session.unseal(vectors.serverSealed1, signature: vectors.serverSignature1)
                == Array("second message".utf8))
        #expect(
            try session.unseal(vectors.serverSealed2, signature: vectors.serverSignature2)
                == Array("third message".utf8))
        #expect(session.inboundSequenceNumber == 3)
    }

    /// A replayed message fails and leaves the session able to read the next genuine one.
    @Test func refusesAReplayedMessage() throws {
        var session = try clientSession()
        let vectors = ReferenceVectors.self
        _ = try session.unseal(vectors.serverSealed0, signature: vectors.serverSignature0)
        #expect(throws: NTLMError.signatureMismatch) {
            try session.unseal(vectors.serverSealed0, signature: vectors.serverSignature0)
        }
        #expect(session.inboundSequenceNumber == 1)
        #expect(
            try session.unseal(vectors.serverSealed1, signature: vectors.serverSignature1)
                == Array("second message".utf8))
    }

    /// A message that skips ahead (lost or reordered) is refused even though its checksum is valid for its number.
    @Test func refusesAnUnexpectedSequenceNumber() throws {
        var session = try clientSession()
        #expect(throws: NTLMError.sequenceNumberMismatch(expected: 0, received: 5)) {
            try session.unseal(
                ReferenceVectors.serverSealedSequence5, signature: ReferenceVectors.serverSignatureSequence5)
        }
        #expect(session.inboundSequenceNumber == 0)
    }

    @Test func refusesATamperedMessageOrSignature() throws {
        var session = try clientSession()
        var sealed = ReferenceVectors.serverSealed0
        sealed[3] ^= 0x01
        #expect(throws: NTLMError.signatureMismatch) {
            try session.unseal(sealed, signature: ReferenceVectors.serverSignature0)
        }
        var signature = ReferenceVectors.serverSignature0
        signature[7] ^= 0x80
        #expect(throws: NTLMError.signatureMismatch) {
            try session.unseal(ReferenceVectors.serverSealed0, signature: signature)
        }
        // Sequence number field altered: the checksum no longer matches either number.
        signature = ReferenceVectors.serverSignature0
        signature[12] = 1
        #expect(throws: NTLMError.signatureMismatch) {
            try session.unseal(ReferenceVectors.serverSealed0, signature: signature)
        }
        #expect(
            try session.unseal(ReferenceVectors.serverSealed0, signature: ReferenceVectors.serverSignature0)
                == Array("first message".utf8))
    }

    @Test(arguments: [
        ([UInt8](repeating: 1, count: 15), "15 bytes, not 16"),
        ([2, 0, 0, 0] + [UInt8](repeating: 0, count: 12), "version is not 1"),
    ])
    func refusesMalformedSignatures(signature: [UInt8], reason: String) throws {
        var session = try clientSession()
        #expect(throws: NTLMError.malformedSignature(reason)) {
            try session.unseal(ReferenceVectors.serverSealed0, signature: signature)
        }
    }

    /// The two ends agree: what the client seals the server role opens, with separate keys per direction.
    @Test func bothDirectionsRoundTrip() throws {
        var client = try clientSession()
        var server = try NTLMSession(
            exportedSessionKey: SpecExample.randomSessionKey, flags: NTLMNegotiateFlags.requested, role: .server)
        for index in 0..<5 {
            let request = Array("request \(index)".utf8)
            let (requestSignature, sealedRequest) = client.seal(request)
            #expect(sealedRequest != request)
            #expect(try server.unseal(sealedRequest, signature: requestSignature) == request)
            let reply = Array("reply \(index)".utf8)
            let (replySignature, sealedReply) = server.seal(reply)
            #expect(try client.unseal(sealedReply, signature: replySignature) == reply)
        }
        // A client message looped back to the client does not verify: the directions use different keys.
        let (signature, sealed) = client.seal(Array("loop".utf8))
        var other = try clientSession()
        #expect(throws: NTLMError.signatureMismatch) { try other.unseal(sealed, signature: signature) }
    }

    @Test func refusesAnExportedKeyOfTheWrongSize() {
        #expect(throws: NTLMError.invalidKeyLength(algorithm: "ExportedSessionKey", length: 8)) {
            try NTLMSession(exportedSessionKey: [UInt8](repeating: 0, count: 8), flags: [])
        }
    }
}
