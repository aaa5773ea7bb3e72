/// WinRM message encryption over HTTP (MS-WSMV 2.2.9.1.1, "HTTP-SPNEGO-session-encrypted"), byte for byte as the
/// Windows WinRM client, pywinrm and pypsrp frame it:
///
///     --Encrypted Boundary\r\n
///     \tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n
///     \tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=<plaintext length>\r\n
///     --Encrypted Boundary\r\n
///     \tContent-Type: application/octet-stream\r\n
///     <signature length, 4 bytes little-endian><signature><sealed SOAP>--Encrypted Boundary--\r\n
///
/// One part per message: only CredSSP splits messages into 16 KiB parts (`multipart/x-multi-encrypted`).
extension NTLMSession {
    /// The encrypted body's protocol.
    public static let winRMEncryptionProtocol = "application/HTTP-SPNEGO-session-encrypted"
    /// The Content-Type header of an encrypted request.
    public static let winRMEncryptedContentType =
        "multipart/encrypted;protocol=\"\(winRMEncryptionProtocol)\";boundary=\"Encrypted Boundary\""

    /// Seals a SOAP envelope (UTF-8) into an encrypted request body and its Content-Type.
    public mutating func encodeWinRMMessage(_ soap: [UInt8]) -> (contentType: String, body: [UInt8]) {
        let (signature, sealed) = seal(soap)
        var body = Array(
            ("--Encrypted Boundary\r\n\tContent-Type: \(Self.winRMEncryptionProtocol)\r\n"
                + "\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=\(soap.count)\r\n"
                + "--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n").utf8)
        body.appendLittleEndian(UInt32(signature.count))
        body += signature + sealed
        body += Array("--Encrypted Boundary--\r\n".utf8)
        return (Self.winRMEncryptedContentType, body)
    }

    /// Opens an encrypted response body: checks the framing and each part's Length, verifies every signature and
    /// sequence number, and returns the SOAP bytes. A failure leaves the session unchanged.
    public mutating func decodeWinRMMessage(contentType: String, body: [UInt8]) throws(NTLMError) -> [UInt8] {
        let boundary = try Self.encryptedBoundary(contentType)
        var candidate = self
        var parser = WinRMMultipartParser(body: body, boundary: Array(boundary.utf8))
        var soap: [UInt8] = []
        try parser.expectDelimiter()
        while true {
            let length = try parser.readOriginalContentLength(protocol: Self.winRMEncryptionProtocol)
            try parser.expectDelimiter()
            let (signature, sealed) = try parser.readEncryptedPayload(length: length)
            soap += try candidate.unseal(sealed, signature: signature)
            if try parser.expectDelimiter() == .closing { break }
        }
        try parser.expectEnd()
        self = candidate
        return soap
    }

    /// The boundary of a `multipart/encrypted` Content-Type whose protocol is HTTP-SPNEGO-session-encrypted.
    static func encryptedBoundary(_ contentType: String) throws(NTLMError) -> String {
        let parts = contentType.split(separator: ";").map { $0.trimmingSpacesAndTabs() }
        guard parts.first?.lowercased() == "multipart/encrypted" else { throw .notEncrypted(contentType: contentType) }
        var parameters: [String: String] = [:]
        for part in parts.dropFirst() {
            guard let equals = part.firstIndex(of: "=") else { continue }
            var value = part[part.index(after: equals)...].trimmingSpacesAndTabs()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            parameters[part[..<equals].trimmingSpacesAndTabs().lowercased()] = value
        }
        guard parameters["protocol"]?.lowercased() == winRMEncryptionProtocol.lowercased() else {
            throw .notEncrypted(contentType: contentType)
        }
        guard let boundary = parameters["boundary"], !boundary.isEmpty else {
            throw .malformedEncryptedMessage("the Content-Type has no boundary")
        }
        return boundary
    }
}
