import Testing

@testable import OpsAWS

@Suite("AWSCredentials")
struct AWSCredentialsTests {
    let credentials = AWSCredentials(
        accessKeyID: "ASIAEXAMPLE", secretAccessKey: "very-secret-key", sessionToken: "very-secret-token")

    @Test func printingShowsTheKeyIDButNeverTheSecretOrToken() {
        // act
        var dumped = ""
        dump(credentials, to: &dumped)
        let renderings = ["\(credentials)", String(describing: credentials), String(reflecting: credentials), dumped]
        // assert
        for text in renderings {
            #expect(text.contains("ASIAEXAMPLE"))
            #expect(!text.contains("very-secret"))
        }
    }

    @Test func descriptionSaysWhetherATokenIsPresent() {
        #expect("\(credentials)".contains("sessionToken: <redacted>"))
        #expect("\(AWSCredentials(accessKeyID: "AKIA", secretAccessKey: "x"))".contains("sessionToken: none"))
    }
}
