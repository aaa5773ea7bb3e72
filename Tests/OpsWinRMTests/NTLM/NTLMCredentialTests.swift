import Testing

@testable import OpsWinRM

@Suite("NTLM credentials")
struct NTLMCredentialTests {
    @Test(
        arguments: [
            ("DOMAIN\\user", nil, "user", "DOMAIN"),
            ("DOMAIN\\user", "domain", "user", "DOMAIN"),
            ("user@corp.example", nil, "user@corp.example", ""),
            ("user", nil, "user", ""),
            ("user", "CORP", "user", "CORP"),
        ] as [(String, String?, String, String)])
    func acceptsWindowsForms(input: String, domain: String?, user: String, expectedDomain: String) throws {
        let credential = try NTLMCredential(user: input, password: "pw", domain: domain)
        #expect(credential.user == user)
        #expect(credential.domain == expectedDomain)
    }

    @Test(
        arguments: [
            ("", nil, "empty user name"),
            ("DOMAIN\\", nil, "empty user name"),
            ("\\user", nil, "empty domain before '\\' in the user name"),
            ("A\\B\\user", nil, "more than one '\\' in the user name"),
            ("DOMAIN\\user", "OTHER", "the user name names domain DOMAIN but the domain is OTHER"),
        ] as [(String, String?, String)])
    func refusesUnusableNames(input: String, domain: String?, reason: String) {
        #expect(throws: NTLMError.invalidCredential(reason)) {
            try NTLMCredential(user: input, password: "pw", domain: domain)
        }
    }

    @Test func neverPrintsThePassword() throws {
        let credential = try NTLMCredential(user: "CORP\\svc", password: "s3cret!", domain: nil)
        #expect(credential.description == "CORP\\svc")
        #expect(!String(reflecting: credential).contains("s3cret"))
        #expect(!"\(credential)".contains("s3cret"))
    }
}
