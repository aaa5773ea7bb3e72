import Testing

@testable import OpsWinRM

@Suite("Authorization and WWW-Authenticate headers")
struct HTTPAuthenticationHeaderTests {
    @Test func authorizationValues() {
        #expect(HTTPAuthenticationHeader.authorization(.ntlm, token: Array("NTLMSSP".utf8)) == "NTLM TlRMTVNTUA==")
        #expect(HTTPAuthenticationHeader.authorization(.negotiate, token: [0x60, 0x48]) == "Negotiate YEg=")
    }

    /// What Windows sends on the first 401, in one header or several.
    @Test func parsesWindowsChallenges() throws {
        let oneHeader = try HTTPAuthenticationHeader.challenges(in: ["Negotiate, NTLM, Basic realm=\"WSMAN\""])
        #expect(oneHeader.map(\.scheme) == ["Negotiate", "NTLM", "Basic"])
        #expect(oneHeader.allSatisfy { $0.token68 == nil })
        let several = try HTTPAuthenticationHeader.challenges(in: [
            "Negotiate", "Basic realm=\"WSMAN\", charset=UTF-8", "NTLM",
        ])
        #expect(several.map(\.scheme) == ["Negotiate", "Basic", "NTLM"])
    }

    @Test func extractsTheTokenOfTheConfiguredScheme() throws {
        let values = ["Basic realm=\"a, b\"", "NTLM TlRMTVNTUAACAAAA", "Negotiate oRswGaADCgEAoxIEEAEAAAA="]
        #expect(try HTTPAuthenticationHeader.token(for: .ntlm, in: values) == Array("NTLMSSP\0\u{2}\0\0\0".utf8))
        #expect(try HTTPAuthenticationHeader.token(for: .negotiate, in: values)?.prefix(2) == [0xA1, 0x1B])
        #expect(try HTTPAuthenticationHeader.token(for: .negotiate, in: ["negotiate"]) == nil)
    }

    @Test func refusesAMissingScheme() {
        #expect(throws: NTLMError.schemeNotOffered(scheme: "NTLM", offered: ["Negotiate", "Basic"])) {
            try HTTPAuthenticationHeader.token(for: .ntlm, in: ["Negotiate", "Basic realm=\"WSMAN\""])
        }
    }

    @Test(arguments: [
        ["NTLM not*base64"],
        ["Basic realm=\"unterminated"],
        ["realm=\"WSMAN\", NTLM"],
        ["N(TLM) abc"],
    ])
    func refusesMalformedHeaders(values: [String]) {
        let error = #expect(throws: NTLMError.self) { try HTTPAuthenticationHeader.token(for: .ntlm, in: values) }
        guard case .malformedAuthenticateHeader = error else {
            Issue.record("\(values): \(String(describing: error))")
            return
        }
    }
}
