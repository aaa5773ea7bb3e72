/// Everything that can go wrong in NTLM authentication, SPNEGO, message sealing and the WinRM encryption framing.
///
/// Every malformed, truncated or hostile input from the server ends in one of these cases, never in a crash or an
/// out-of-bounds read. No case ever carries the password or key material.
public enum NTLMError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A structure ended before a field it announces (`what`: which structure, `needed`/`available`: bytes).
    case truncated(what: String, needed: Int, available: Int)
    /// The token does not start with `NTLMSSP\0`.
    case notNTLMMessage
    /// An NTLM message of another type than the one expected at this step (MS-NLMP 2.2.1).
    case unexpectedMessageType(expected: UInt32, got: UInt32)
    /// A payload field (length, offset) points outside the message.
    case fieldOutOfBounds(field: String, offset: Int, length: Int, messageLength: Int)
    /// The CHALLENGE's TargetInfo AV_PAIR list is malformed (MS-NLMP 2.2.2.1).
    case malformedTargetInfo(String)
    /// The server did not grant flags this client requires (message integrity and confidentiality with
    /// extended session security, 128-bit keys and key exchange).
    case missingNegotiatedFlags(missing: [String])
    /// The credential cannot be used (empty user name, `DOMAIN\` without a user, a domain given twice, …).
    case invalidCredential(String)
    /// A key of a length the algorithm does not take.
    case invalidKeyLength(algorithm: String, length: Int)
    /// A message signature (NTLMSSP_MESSAGE_SIGNATURE) did not verify: the message was altered or forged.
    case signatureMismatch
    /// The signature is valid for another sequence number than the expected one: a replayed, dropped or reordered
    /// message (MS-NLMP 3.4.4).
    case sequenceNumberMismatch(expected: UInt32, received: UInt32)
    /// A signature that is not a 16-byte version-1 NTLMSSP_MESSAGE_SIGNATURE.
    case malformedSignature(String)
    /// A DER structure (SPNEGO token or certificate) is malformed.
    case malformedDER(String)
    /// A SPNEGO token is well-formed DER but not what RFC 4178 allows at this step.
    case malformedSPNEGO(String)
    /// The server answered SPNEGO with `negState: reject`.
    case spnegoRejected
    /// The server chose another mechanism than NTLM (dotted OID).
    case unexpectedMechanism(String)
    /// The server's final SPNEGO token carries no mechListMIC although this client sent one (RFC 4178 §5).
    case missingMechListMIC
    /// A final token was passed where none is expected, or none where one is required.
    case unexpectedFinalToken(String)
    /// The authenticator was used out of order (e.g. `respond` before `firstToken`).
    case invalidState(String)
    /// An encrypted WinRM body (MS-WSMV 2.2.9.1.1) that does not follow the multipart framing.
    case malformedEncryptedMessage(String)
    /// A response that should be encrypted is not (its Content-Type).
    case notEncrypted(contentType: String)
    /// The certificate's signature algorithm has no defined `tls-server-end-point` hash (RFC 5929 §4.1).
    case unsupportedCertificateSignatureAlgorithm(oid: String)
    /// A `WWW-Authenticate` header that cannot be parsed, or whose token is not Base64.
    case malformedAuthenticateHeader(String)
    /// The server does not offer the scheme this client was configured for.
    case schemeNotOffered(scheme: String, offered: [String])

    public var description: String {
        switch self {
        case .truncated(let what, let needed, let available):
            return "NTLM: \(what) is truncated (needs \(needed) bytes, has \(available))"
        case .notNTLMMessage: return "NTLM: the token is not an NTLMSSP message"
        case .unexpectedMessageType(let expected, let got):
            return "NTLM: expected message type \(expected), got \(got)"
        case .fieldOutOfBounds(let field, let offset, let length, let messageLength):
            return
                "NTLM: field \(field) (offset \(offset), length \(length)) lies outside the \(messageLength)-byte message"
        case .malformedTargetInfo(let why): return "NTLM: malformed target information: \(why)"
        case .missingNegotiatedFlags(let missing):
            return "NTLM: the server did not grant \(missing.joined(separator: ", "))"
        case .invalidCredential(let why): return "NTLM: invalid credential: \(why)"
        case .invalidKeyLength(let algorithm, let length): return "\(algorithm): invalid key length \(length)"
        case .signatureMismatch: return "NTLM: message signature mismatch (altered or forged message)"
        case .sequenceNumberMismatch(let expected, let received):
            return "NTLM: sequence number \(received) where \(expected) was expected (replayed or lost message)"
        case .malformedSignature(let why): return "NTLM: malformed message signature: \(why)"
        case .malformedDER(let why): return "malformed DER: \(why)"
        case .malformedSPNEGO(let why): return "SPNEGO: \(why)"
        case .spnegoRejected: return "SPNEGO: the server rejected the authentication"
        case .unexpectedMechanism(let oid): return "SPNEGO: the server chose mechanism \(oid), not NTLM"
        case .missingMechListMIC: return "SPNEGO: the server's final token has no mechListMIC"
        case .unexpectedFinalToken(let why): return "NTLM: \(why)"
        case .invalidState(let why): return "NTLM: \(why)"
        case .malformedEncryptedMessage(let why): return "WinRM encryption: \(why)"
        case .notEncrypted(let contentType): return "WinRM encryption: the body is not encrypted (\(contentType))"
        case .unsupportedCertificateSignatureAlgorithm(let oid):
            return "channel binding: no tls-server-end-point hash is defined for signature algorithm \(oid)"
        case .malformedAuthenticateHeader(let why): return "WWW-Authenticate: \(why)"
        case .schemeNotOffered(let scheme, let offered):
            return "the server does not offer \(scheme) authentication (offers: \(offered.joined(separator: ", ")))"
        }
    }
}
