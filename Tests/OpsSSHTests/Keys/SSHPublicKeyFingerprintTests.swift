import Testing

@testable import OpsSSH

@Suite("SSH public key fingerprints")
struct SSHPublicKeyFingerprintTests {
    @Test("fingerprints of .pub lines equal ssh-keygen -lf, also for RSA keys swift-nio-ssh cannot use")
    func matchesSSHKeygen() throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.generate("ed", type: "ed25519")
        try keygen.generate("rsa", type: "rsa", bits: 2048)

        // act / assert
        for name in ["ed", "rsa"] {
            let line = try keygen.read(name + ".pub")
            #expect(try SSHPublicKeyFingerprint.sha256(ofOpenSSH: line) == (try keygen.fingerprint(name + ".pub")))
        }
    }

    @Test("a key whose blob names another type, or that is not base64, is a malformed public key")
    func rejectsBadKeys() throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.generate("ed", type: "ed25519")
        let base64 = try keygen.publicKey("ed").split(separator: " ")[1]

        // act / assert
        #expect(throws: SSHError.malformedPublicKey("the key blob is a ssh-ed25519 key but is labelled ssh-rsa")) {
            try SSHPublicKeyFingerprint.sha256(ofOpenSSH: "ssh-rsa \(base64)")
        }
        #expect(throws: SSHError.malformedPublicKey("the key is not valid base64")) {
            try SSHPublicKeyFingerprint.sha256(ofOpenSSH: "ssh-ed25519 not*base64")
        }
        #expect(throws: SSHError.self) {
            try SSHPublicKeyFingerprint.sha256(ofOpenSSH: "ssh-ed25519")
        }
    }
}
