import Testing

@testable import OpsWinRM

@Suite("Authorization and WWW-Authenticate headers")
struct HTTPAuthenticationHeaderTests {
    @Test func authorizationValues() {
        #expect(
            HTTPAuthenticationHeader.authorization(scheme: "NTLM", token: Array("NTLMSSP".utf8)) == "NTLM TlRMTVNTUA==")
        #expect(HTTPAuthenticationHeader.authorization(scheme: "Negotiate", token: [0x60, 0x48]) == "Negotiate YEg=")
    }

    /// What a server sends on the first 401, in one header or several.
    @Test func parsesChallenges() throws {
        let oneHeader = try HTTPAuthenticationHeader.challenges(in: ["Negotiate, NTLM, Basic realm=\"WSMAN\""])
        #expect(oneHeader.map(\.scheme) == ["Negotiate", "NTLM", "Basic"])
        #expect(oneHeader.allSatisfy { $0.token68 == nil })
        let several = try HTTPAuthenticationHeader.challenges(in: [
            "Negotiate", "Basic realm=\"WSMAN\", charset=UTF-8", "NTLM",
        ])
        #expect(several.map(\.scheme) == ["Negotiate", "Basic", "NTLM"])
    }

    /// Windows WinRM offers Negotiate (and Kerberos, Basic, CredSSP when enabled) but not NTLM: raw NTLM then goes
    /// under Negotiate, as requests-ntlm sends it; NTLM is preferred where a server offers it.
    @Test func choosesTheScheme() throws {
        let winRM = ["Negotiate", "Kerberos", "Basic realm=\"WSMAN\""]
        #expect(try HTTPAuthenticationHeader.scheme(for: .ntlm, in: winRM) == "Negotiate")
        #expect(try HTTPAuthenticationHeader.scheme(for: .negotiate, in: winRM) == "Negotiate")
        #expect(try HTTPAuthenticationHeader.scheme(for: .ntlm, in: ["negotiate, ntlm"]) == "ntlm")
        #expect(throws: NTLMError.schemeNotOffered(scheme: "Negotiate", offered: ["NTLM"])) {
            try HTTPAuthenticationHeader.scheme(for: .negotiate, in: ["NTLM"])
        }
        #expect(throws: NTLMError.schemeNotOffered(scheme: "NTLM or Negotiate", offered: ["Basic"])) {
            try HTTPAuthenticationHeader.scheme(for: .ntlm, in: ["Basic realm=\"WSMAN\""])
        }
    }

    @Test func extractsTheTokenOfTheScheme() throws {
        let values = ["Basic realm=\"a, b\"", "NTLM TlRMTVNTUAACAAAA", "Negotiate oRswGaADCgEAoxIEEAEAAAA="]
        #expect(try HTTPAuthenticationHeader.token(scheme: "NTLM", in: values) == Array("NTLMSSP\0\u{2}\0\0\0".utf8))
        #expect(try HTTPAuthenticationHeader.token(scheme: "negotiate", in: values)?.prefix(2) == [0xA1, 0x1B])
        #expect(try HTTPAuthenticationHeader.token(scheme: "Negotiate", in: ["negotiate"]) == nil)
    }

    @Test func refusesAMissingScheme() {
        #expect(throws: NTLMError.schemeNotOffered(scheme: "NTLM", offered: ["Negotiate", "Basic"])) {
            try HTTPAuthenticationHeader.token(scheme: "NTLM", in: ["Negotiate", "Basic realm=\"WSMAN\""])
        }
    }

    @Test(arguments: [
        ["NTLM not*base64"],
        ["NTLM ="],
        ["Basic realm=\"unterminated"],
        ["realm=\"WSMAN\", NTLM"],
        ["N(TLM) abc"],
    ])
    func refusesMalformedHeaders(values: [String]) {
        let error = #expect(throws: NTLMError.self) { try HTTPAuthenticationHeader.token(scheme: "NTLM", in: values) }
        guard case .malformedAuthenticateHeader = error else {
            Issue.record("\(values): \(String(describing: error))")
            return
        }
    }
}
