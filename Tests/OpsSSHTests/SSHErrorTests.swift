import Testing

@testable import OpsSSH

@Suite("SSH error messages")
struct SSHErrorTests {
    @Test func unsupportedKeyTypeNamesTargetTypeAndFallback() {
        let message = SSHError.unsupportedKeyType(target: "web01", keyType: "ssh-rsa").description
        #expect(message.contains("web01"))
        #expect(message.contains("ssh-rsa"))
        #expect(message.contains("openssh"))
    }

    @Test func mismatchShowsBothFingerprints() {
        let message = SSHError.hostKeyMismatch(
            host: "[10.0.0.1]:2222", expected: ["SHA256:aaa"], presented: "SHA256:bbb"
        )
        .description
        #expect(message.contains("SHA256:aaa") && message.contains("SHA256:bbb"))
    }
}
