import Foundation

/// The NTLMv2 computations of MS-NLMP 3.3.2 and the key derivations of 3.4.5, checked against the §4.2.4 examples.
enum NTLMv2 {
    /// NTOWFv2(Passwd, User, UserDom) = HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(ConcatenationOf(Uppercase(User),
    /// UserDom))). ResponseKeyNT and ResponseKeyLM are both this value.
    static func responseKey(_ credential: NTLMCredential) -> [UInt8] {
        let ntHash = MD4.hash([UInt8](utf16LittleEndian: credential.password))
        return NTLMHashing.hmacMD5(
            key: ntHash, [UInt8](utf16LittleEndian: credential.user.uppercased() + credential.domain))
    }

    /// What ComputeResponse yields: NtChallengeResponse, LmChallengeResponse and SessionBaseKey (which is the
    /// KeyExchangeKey under NTLMv2).
    struct Response: Equatable {
        var ntChallengeResponse: [UInt8]
        var lmChallengeResponse: [UInt8]
        var sessionBaseKey: [UInt8]
        var ntProofStr: [UInt8] { Array(ntChallengeResponse.prefix(16)) }
    }

    /// ComputeResponse for NTLMv2 (MS-NLMP 3.3.2):
    /// temp = Responserversion(1), HiResponserversion(1), Z(6), Time, ClientChallenge, Z(4), ServerName, Z(4);
    /// NTProofStr = HMAC_MD5(ResponseKeyNT, ServerChallenge + temp); NtChallengeResponse = NTProofStr + temp;
    /// LmChallengeResponse = HMAC_MD5(ResponseKeyLM, ServerChallenge + ClientChallenge) + ClientChallenge;
    /// SessionBaseKey = HMAC_MD5(ResponseKeyNT, NTProofStr). `serverName` is the AV_PAIR list with its MsvAvEOL.
    static func computeResponse(
        responseKey: [UInt8], serverChallenge: [UInt8], clientChallenge: [UInt8], time: [UInt8], serverName: [UInt8]
    ) -> Response {
        let temp: [UInt8] =
            [1, 1, 0, 0, 0, 0, 0, 0] + time + clientChallenge + [0, 0, 0, 0] + serverName + [0, 0, 0, 0]
        let ntProofStr = NTLMHashing.hmacMD5(key: responseKey, serverChallenge + temp)
        let lmResponse = NTLMHashing.hmacMD5(key: responseKey, serverChallenge + clientChallenge) + clientChallenge
        return Response(
            ntChallengeResponse: ntProofStr + temp, lmChallengeResponse: lmResponse,
            sessionBaseKey: NTLMHashing.hmacMD5(key: responseKey, ntProofStr))
    }

    /// A FILETIME (100-nanosecond intervals since 1601-01-01 UTC), little-endian, for MsvAvTimestamp-less servers.
    static func fileTime(_ date: Date) -> [UInt8] {
        let intervals = (date.timeIntervalSince1970 + 11_644_473_600) * 10_000_000
        var bytes: [UInt8] = []
        bytes.appendLittleEndian(intervals > 0 && intervals < 1.8e19 ? UInt64(intervals) : 0)
        return bytes
    }

    /// SIGNKEY (MS-NLMP 3.4.5.2) with extended session security: MD5(ExportedSessionKey + magic constant).
    static func signingKey(_ exportedSessionKey: [UInt8], clientToServer: Bool) -> [UInt8] {
        let direction = clientToServer ? "client-to-server" : "server-to-client"
        let magic = Array("session key to \(direction) signing key magic constant".utf8) + [0]
        return NTLMHashing.md5(exportedSessionKey + magic)
    }

    /// SEALKEY (MS-NLMP 3.4.5.3) with extended session security and NTLMSSP_NEGOTIATE_128: the whole exported
    /// session key, then MD5 with the magic constant.
    static func sealingKey(_ exportedSessionKey: [UInt8], clientToServer: Bool) -> [UInt8] {
        let direction = clientToServer ? "client-to-server" : "server-to-client"
        let magic = Array("session key to \(direction) sealing key magic constant".utf8) + [0]
        return NTLMHashing.md5(exportedSessionKey + magic)
    }
}
