import Foundation
import Testing

@testable import OpsSSH

@Suite("PEM and PKCS #8 private keys")
struct PEMPrivateKeyTests {
    @Test("SEC 1 \"EC PRIVATE KEY\" files from ssh-keygen -m PEM parse", arguments: KeySpec.ecdsa)
    func sec1(spec: KeySpec) throws {
        // setup
        let keygen = try SSHKeygen()
        let text = try keygen.generate("id", type: spec.type, bits: spec.bits, extra: ["-m", "PEM"])
        #expect(text.hasPrefix("-----BEGIN EC PRIVATE KEY-----"))

        // act
        let key = try OpenSSHPrivateKeyParser.parse(text, passphrase: nil, target: "web01")

        // assert
        #expect(key.keyType == spec.sshName)
        #expect(key.publicKeyOpenSSH == (try keygen.publicKey("id")))
        #expect(key.fingerprint == (try keygen.fingerprint("id.pub")))
    }

    @Test("PKCS #8 \"PRIVATE KEY\" files from ssh-keygen -m PKCS8 parse", arguments: KeySpec.ecdsa)
    func pkcs8(spec: KeySpec) throws {
        // setup
        let keygen = try SSHKeygen()
        let text = try keygen.generate("id", type: spec.type, bits: spec.bits, extra: ["-m", "PKCS8"])
        #expect(text.hasPrefix("-----BEGIN PRIVATE KEY-----"))

        // act
        let key = try OpenSSHPrivateKeyParser.parse(text, passphrase: nil, target: "web01")

        // assert
        #expect(key.keyType == spec.sshName)
        #expect(key.publicKeyOpenSSH == (try keygen.publicKey("id")))
    }

    @Test("an Ed25519 PKCS #8 key from openssl genpkey gives the public key openssl derives")
    func ed25519PKCS8() throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.succeed("openssl", ["genpkey", "-algorithm", "ed25519", "-out", keygen.path("ed.pem")])
        try keygen.succeed(
            "openssl",
            ["pkey", "-in", keygen.path("ed.pem"), "-pubout", "-outform", "DER", "-out", keygen.path("ed.der")])
        let opensslPublic = try Data(contentsOf: URL(fileURLWithPath: keygen.path("ed.der"))).suffix(32)

        // act
        let key = try OpenSSHPrivateKeyParser.parse(try keygen.read("ed.pem"), passphrase: nil, target: "web01")

        // assert
        #expect(key.keyType == "ssh-ed25519")
        let blob = SSHPublicKeyFingerprint.wireBlob(of: key.publicKey)
        #expect(Data(blob.suffix(32)) == opensslPublic)
    }

    @Test(
        "RSA keys in PEM and PKCS #8 are refused as unsupported key types",
        arguments: [("PEM", "-----BEGIN RSA PRIVATE KEY-----"), ("PKCS8", "-----BEGIN PRIVATE KEY-----")])
    func rsaRefused(format: String, header: String) throws {
        // setup
        let keygen = try SSHKeygen()
        let text = try keygen.generate("rsa", type: "rsa", bits: 2048, extra: ["-m", format])
        #expect(text.hasPrefix(header))

        // act / assert
        #expect(throws: SSHError.unsupportedKeyType(target: "app3", keyType: "ssh-rsa")) {
            try OpenSSHPrivateKeyParser.parse(text, passphrase: nil, target: "app3")
        }
    }

    @Test(
        "encrypted PEM keys are refused with the ssh-keygen -p conversion hint",
        arguments: [("PEM", "Proc-Type: 4,ENCRYPTED"), ("PKCS8", "-----BEGIN ENCRYPTED PRIVATE KEY-----")])
    func encryptedPEM(format: String, marker: String) throws {
        // setup
        let keygen = try SSHKeygen()
        let text = try keygen.generate(
            "id", type: "ecdsa", bits: 256, passphrase: "secret-pass", extra: ["-m", format])
        #expect(text.contains(marker))

        // act
        let error = #expect(throws: SSHError.self) {
            try OpenSSHPrivateKeyParser.parse(text, passphrase: "secret-pass", target: "web01")
        }

        // assert
        guard case .unsupportedKeyFormat(let detail) = error else {
            Issue.record("expected unsupportedKeyFormat, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("ssh-keygen -p -f"))
        #expect(error?.description.contains("secret-pass") == false)
    }

    @Test("a PEM block that is not a private key is an unsupported format")
    func certificateBlock() throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.generate("id", type: "ecdsa", bits: 256, extra: ["-m", "PKCS8"])
        let publicPEM = try keygen.succeed("ssh-keygen", ["-e", "-m", "PKCS8", "-f", keygen.path("id.pub")])
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))

        // act / assert
        let error = #expect(throws: SSHError.self) {
            try OpenSSHPrivateKeyParser.parse(publicPEM, passphrase: nil, target: "web01")
        }
        guard case .unsupportedKeyFormat = error else {
            Issue.record("expected unsupportedKeyFormat, got \(String(describing: error))")
            return
        }
    }
}
