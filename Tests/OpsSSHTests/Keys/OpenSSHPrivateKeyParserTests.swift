import Foundation
import NIOCore
import Testing

@testable import NIOSSH
@testable import OpsSSH

@Suite("OpenSSH private keys from ssh-keygen")
struct OpenSSHPrivateKeyParserTests {
    @Test("unencrypted keys parse with the public key and comment ssh-keygen wrote", arguments: KeySpec.all)
    func unencryptedKey(spec: KeySpec) throws {
        // setup
        let keygen = try SSHKeygen()
        let text = try keygen.generate("id", type: spec.type, bits: spec.bits, comment: "deploy@ops")

        // act
        let key = try OpenSSHPrivateKeyParser.parse(text, passphrase: nil, target: "web01")

        // assert
        #expect(key.keyType == spec.sshName)
        #expect(key.publicKeyOpenSSH == (try keygen.publicKey("id")))
        #expect(key.comment == "deploy@ops")
    }

    @Test("encrypted keys (bcrypt + aes256-ctr, ssh-keygen's default) open with the passphrase", arguments: KeySpec.all)
    func encryptedKey(spec: KeySpec) throws {
        // setup
        let keygen = try SSHKeygen()
        let text = try keygen.generate("id", type: spec.type, bits: spec.bits, passphrase: "correct horse")
        #expect(text.contains("OPENSSH PRIVATE KEY"))

        // act
        let key = try OpenSSHPrivateKeyParser.parse(text, passphrase: "correct horse", target: "web01")

        // assert
        #expect(key.keyType == spec.sshName)
        #expect(key.publicKeyOpenSSH == (try keygen.publicKey("id")))
    }

    @Test("fingerprints are exactly what ssh-keygen -lf prints", arguments: KeySpec.all)
    func fingerprintMatchesSSHKeygen(spec: KeySpec) throws {
        // setup
        let keygen = try SSHKeygen()
        let text = try keygen.generate("id", type: spec.type, bits: spec.bits)

        // act
        let key = try OpenSSHPrivateKeyParser.parse(text, passphrase: nil, target: "web01")

        // assert
        #expect(key.fingerprint == (try keygen.fingerprint("id.pub")))
        #expect(!key.fingerprint.hasSuffix("="))
    }

    @Test(
        "a signature made with the parsed key verifies with the public key from the .pub file", arguments: KeySpec.all)
    func signatureVerifies(spec: KeySpec) throws {
        // setup
        let keygen = try SSHKeygen()
        let key = try OpenSSHPrivateKeyParser.parse(
            try keygen.generate("id", type: spec.type, bits: spec.bits, passphrase: "pw-12345"), passphrase: "pw-12345",
            target: "web01")
        let other = try OpenSSHPrivateKeyParser.parse(
            try keygen.generate("other", type: spec.type, bits: spec.bits), passphrase: nil, target: "web01")
        let filePublicKey = try NIOSSHPublicKey(openSSHPublicKey: try keygen.publicKey("id"))
        let payload = UserAuthSignablePayload(
            sessionIdentifier: ByteBuffer(bytes: Array(repeating: 0x42, count: 32)), userName: "ops",
            serviceName: "ssh-connection", publicKey: filePublicKey)

        // act
        let signature = try key.nioKey.sign(payload)
        let otherSignature = try other.nioKey.sign(payload)

        // assert
        #expect(filePublicKey.isValidSignature(signature, for: payload))
        #expect(!filePublicKey.isValidSignature(otherSignature, for: payload))
    }

    @Test("a wrong passphrase is reported as wrongPassphrase, not as a damaged key")
    func wrongPassphrase() throws {
        // setup
        let keygen = try SSHKeygen()
        let text = try keygen.generate("id", type: "ed25519", passphrase: "right one")

        // act / assert
        let error = #expect(throws: SSHError.self) {
            try OpenSSHPrivateKeyParser.parse(text, passphrase: "wrong one", target: "web01")
        }
        #expect(error == .wrongPassphrase)
        #expect(error?.description.contains("wrong one") == false)
    }

    @Test("an encrypted key without a passphrase asks for one", arguments: [nil, ""] as [String?])
    func missingPassphrase(passphrase: String?) throws {
        // setup
        let keygen = try SSHKeygen()
        let text = try keygen.generate("id", type: "ecdsa", bits: 256, passphrase: "secret")

        // act / assert
        #expect(throws: SSHError.passphraseRequired) {
            try OpenSSHPrivateKeyParser.parse(text, passphrase: passphrase, target: "web01")
        }
    }

    @Test("a passphrase given for an unencrypted key is ignored")
    func passphraseForPlainKey() throws {
        // setup
        let keygen = try SSHKeygen()
        let text = try keygen.generate("id", type: "ed25519")

        // act
        let key = try OpenSSHPrivateKeyParser.parse(text, passphrase: "unused", target: "web01")

        // assert
        #expect(key.publicKeyOpenSSH == (try keygen.publicKey("id")))
    }

    @Test("after ssh-keygen -p changes the passphrase, only the new one opens the key")
    func changedPassphrase() throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.generate("id", type: "ed25519", passphrase: "old pass")
        try keygen.succeed("ssh-keygen", ["-p", "-f", keygen.path("id"), "-P", "old pass", "-N", "new pass", "-q"])
        let text = try keygen.read("id")

        // act / assert
        #expect(throws: SSHError.wrongPassphrase) {
            try OpenSSHPrivateKeyParser.parse(text, passphrase: "old pass", target: "web01")
        }
        let key = try OpenSSHPrivateKeyParser.parse(text, passphrase: "new pass", target: "web01")
        #expect(key.publicKeyOpenSSH == (try keygen.publicKey("id")))
    }

    @Test(
        "keys re-encrypted with other ciphers (ssh-keygen -Z) open too",
        arguments: ["aes128-ctr", "aes192-ctr", "aes256-cbc", "aes256-gcm@openssh.com"])
    func otherCiphers(cipher: String) throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.generate("id", type: "ecdsa", bits: 384, passphrase: "pw-12345")
        try keygen.succeed(
            "ssh-keygen", ["-p", "-f", keygen.path("id"), "-P", "pw-12345", "-N", "pw2-12345", "-Z", cipher, "-q"])
        let text = try keygen.read("id")

        // act
        let key = try OpenSSHPrivateKeyParser.parse(text, passphrase: "pw2-12345", target: "web01")

        // assert
        #expect(key.publicKeyOpenSSH == (try keygen.publicKey("id")))
        #expect(throws: SSHError.wrongPassphrase) {
            try OpenSSHPrivateKeyParser.parse(text, passphrase: "pw-12345", target: "web01")
        }
    }

    @Test("a non-default bcrypt round count (ssh-keygen -a 3) is honoured")
    func customRounds() throws {
        // setup
        let keygen = try SSHKeygen()
        let text = try keygen.generate("id", type: "ed25519", passphrase: "pw-12345", extra: ["-a", "3"])

        // act
        let key = try OpenSSHPrivateKeyParser.parse(text, passphrase: "pw-12345", target: "web01")

        // assert
        #expect(key.fingerprint == (try keygen.fingerprint("id.pub")))
    }

    @Test("RSA keys are refused naming the target, the key type and the openssh transport, even when encrypted")
    func rsaRefused() throws {
        // setup
        let keygen = try SSHKeygen()
        let plain = try keygen.generate("rsa", type: "rsa", bits: 2048)
        let encrypted = try keygen.generate("rsa-enc", type: "rsa", bits: 2048, passphrase: "pw-12345")

        // act
        let plainError = #expect(throws: SSHError.self) {
            try OpenSSHPrivateKeyParser.parse(plain, passphrase: nil, target: "db07")
        }
        let encryptedError = #expect(throws: SSHError.self) {
            try OpenSSHPrivateKeyParser.parse(encrypted, passphrase: nil, target: "db07")
        }

        // assert
        #expect(plainError == .unsupportedKeyType(target: "db07", keyType: "ssh-rsa"))
        #expect(encryptedError == .unsupportedKeyType(target: "db07", keyType: "ssh-rsa"))
        let message = plainError?.description ?? ""
        #expect(message.contains("db07") && message.contains("ssh-rsa") && message.contains("openssh"))
    }

    @Test("damaged base64 in the key body is a malformed key")
    func corruptedBase64() throws {
        // setup
        let keygen = try SSHKeygen()
        var lines = try keygen.generate("id", type: "ed25519").split(separator: "\n").map(String.init)
        lines[2] = String(lines[2].prefix(10)) + "!!*&" + lines[2].dropFirst(14)
        let text = lines.joined(separator: "\n")

        // act / assert
        let error = #expect(throws: SSHError.self) {
            try OpenSSHPrivateKeyParser.parse(text, passphrase: nil, target: "web01")
        }
        guard case .malformedKey(let detail) = error else {
            Issue.record("expected malformedKey, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("base64"))
    }

    @Test("a key file cut short (no END line, or body lines missing) is a malformed key")
    func truncatedKey() throws {
        // setup
        let keygen = try SSHKeygen()
        let lines = try keygen.generate("id", type: "ecdsa", bits: 521).split(separator: "\n").map(String.init)
        let cutShort = lines.prefix(lines.count / 2).joined(separator: "\n")
        let missingMiddle = ([lines[0], lines[1]] + [lines[lines.count - 1]]).joined(separator: "\n")

        // act / assert
        for text in [cutShort, missingMiddle] {
            let error = #expect(throws: SSHError.self) {
                try OpenSSHPrivateKeyParser.parse(text, passphrase: nil, target: "web01")
            }
            guard case .malformedKey = error else {
                Issue.record("expected malformedKey, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test("an unencrypted key whose check integers or stored public key were altered is malformed, not mis-read")
    func tamperedUnencryptedKey() throws {
        // setup
        let keygen = try SSHKeygen()
        let text = try keygen.generate("id", type: "ed25519")
        try keygen.generate("other", type: "ed25519")
        let body = text.split(separator: "\n").dropFirst().dropLast().joined()
        let blob = Array(try #require(Data(base64Encoded: body)))
        let ownPublic = Array(
            try #require(Data(base64Encoded: String(try keygen.publicKey("id").split(separator: " ")[1]))))
        let otherPublic = Array(
            try #require(Data(base64Encoded: String(try keygen.publicKey("other").split(separator: " ")[1]))))
        // "openssh-key-v1\0", "none", "none", "", uint32 1, string public key, uint32 section length, checkint…
        let checkIntOffset = 15 + 8 + 8 + 4 + 4 + 4 + ownPublic.count + 4
        var badCheck = blob
        badCheck[checkIntOffset] ^= 0x01
        var swappedPublic = blob
        swappedPublic.replaceSubrange((15 + 8 + 8 + 4 + 4 + 4)..<(checkIntOffset - 4), with: otherPublic)
        func armored(_ bytes: [UInt8]) -> String {
            "-----BEGIN OPENSSH PRIVATE KEY-----\n\(Data(bytes).base64EncodedString(options: .lineLength64Characters))\n"
                + "-----END OPENSSH PRIVATE KEY-----\n"
        }

        // act
        let intact = try OpenSSHPrivateKeyParser.parse(armored(blob), passphrase: nil, target: "web01")
        let checkError = #expect(throws: SSHError.self) {
            try OpenSSHPrivateKeyParser.parse(armored(badCheck), passphrase: nil, target: "web01")
        }
        let publicError = #expect(throws: SSHError.self) {
            try OpenSSHPrivateKeyParser.parse(armored(swappedPublic), passphrase: nil, target: "web01")
        }

        // assert
        #expect(intact.publicKeyOpenSSH == (try keygen.publicKey("id")))
        #expect(checkError == .malformedKey("the check integers differ"))
        #expect(publicError == .malformedKey("the private key does not match the public key stored beside it"))
    }

    @Test("a key saved with Windows line endings still parses")
    func crlfLineEndings() throws {
        // setup
        let keygen = try SSHKeygen()
        let text = try keygen.generate("id", type: "ed25519", passphrase: "pw-12345").replacingOccurrences(
            of: "\n", with: "\r\n")

        // act
        let key = try OpenSSHPrivateKeyParser.parse(text, passphrase: "pw-12345", target: "web01")

        // assert
        #expect(key.publicKeyOpenSSH == (try keygen.publicKey("id")))
    }

    @Test("pasting the .pub file instead of the private key says so")
    func publicKeyGiven() throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.generate("id", type: "ed25519")
        let text = try keygen.read("id.pub")

        // act / assert
        let error = #expect(throws: SSHError.self) {
            try OpenSSHPrivateKeyParser.parse(text, passphrase: nil, target: "web01")
        }
        guard case .unsupportedKeyFormat(let detail) = error else {
            Issue.record("expected unsupportedKeyFormat, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("public key"))
    }

    @Test(
        "text that is not a key at all is an unsupported format",
        arguments: ["", "hello world\n", "PuTTY-User-Key-File-3: ssh-ed25519\n"])
    func notAKey(text: String) {
        let error = #expect(throws: SSHError.self) {
            try OpenSSHPrivateKeyParser.parse(text, passphrase: nil, target: "web01")
        }
        guard case .unsupportedKeyFormat = error else {
            Issue.record("expected unsupportedKeyFormat, got \(String(describing: error))")
            return
        }
    }

    @Test("printing or dumping a parsed key shows its type and fingerprint, never the private key")
    func descriptionHidesSecret() throws {
        // setup
        let keygen = try SSHKeygen()
        let key = try OpenSSHPrivateKeyParser.parse(
            try keygen.generate("id", type: "ed25519"), passphrase: nil, target: "web01")

        // act
        var dumped = ""
        dump(key, to: &dumped)
        let printed = "\(key) \(String(reflecting: key))"
        let labels = Mirror(reflecting: key).children.compactMap(\.label)

        // assert
        #expect(printed.contains("ssh-ed25519") && printed.contains(key.fingerprint))
        #expect(dumped.contains(key.fingerprint))
        #expect(!dumped.contains("nioKey") && !dumped.contains("backingKey"))
        #expect(labels == ["keyType", "fingerprint", "comment"])
    }
}
