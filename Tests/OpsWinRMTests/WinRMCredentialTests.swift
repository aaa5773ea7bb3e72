import Testing

@testable import OpsWinRM

@Suite("Windows account names")
struct WinRMCredentialTests {
    @Test func backslashFormSplitsDomain() {
        let credential = WinRMCredential(login: "CORP\\ops", password: "p")
        #expect(credential.username == "ops")
        #expect(credential.domain == "CORP")
        #expect(credential.displayName == "CORP\\ops")
    }

    @Test func principalNameFormSplitsDomain() {
        let credential = WinRMCredential(login: "ops@corp.example.com", password: "p")
        #expect(credential.username == "ops")
        #expect(credential.domain == "corp.example.com")
    }

    @Test func localAccountHasNoDomain() {
        let credential = WinRMCredential(login: "Administrator", password: "p")
        #expect(credential.domain.isEmpty)
        #expect(credential.displayName == "Administrator")
    }

    @Test func explicitDomainWins() {
        #expect(WinRMCredential(login: "CORP\\ops", domain: "OTHER", password: "p").domain == "OTHER")
    }

    @Test(arguments: ["", "CORP\\", "\\ops", "ops@", "a\"b", "a*b"])
    func badLoginsAreNamed(login: String) {
        #expect(WinRMCredential.problem(login: login) != nil)
    }

    @Test(arguments: ["ops", "CORP\\ops", "ops@corp.example", "svc.deploy", "first last"])
    func goodLoginsPass(login: String) {
        #expect(WinRMCredential.problem(login: login) == nil)
    }
}
