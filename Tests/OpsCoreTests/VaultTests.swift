import Foundation
import Testing

@testable import OpsCore

@Suite("Vault")
struct VaultTests {
    @Test func sealsAndOpensWithTheSameContext() throws {
        // setup
        let vault = Vault(current: SecretKey.generate())
        // act
        let sealed = try vault.seal("hunter2-secret", context: "credential:1")
        // assert
        #expect(try vault.openString(sealed, context: "credential:1") == "hunter2-secret")
        #expect(sealed.keyID == vault.current.id)
        #expect(sealed.nonce.count == 12)
        #expect(!String(decoding: sealed.ciphertext, as: UTF8.self).contains("hunter2"))
    }

    @Test func twoSealsOfOneSecretDiffer() throws {
        let vault = Vault(current: SecretKey.generate())
        let first = try vault.seal("same", context: "c")
        let second = try vault.seal("same", context: "c")
        #expect(first.nonce != second.nonce)
        #expect(first.ciphertext != second.ciphertext)
    }

    @Test func flippedCiphertextBitIsDetected() throws {
        let vault = Vault(current: SecretKey.generate())
        var sealed = try vault.seal("secret", context: "c")
        sealed.ciphertext[0] ^= 0x01
        #expect(throws: VaultError.tampered) { try vault.open(sealed, context: "c") }
    }

    @Test func flippedTagBitIsDetected() throws {
        let vault = Vault(current: SecretKey.generate())
        var sealed = try vault.seal("secret", context: "c")
        sealed.ciphertext[sealed.ciphertext.count - 1] ^= 0x80
        #expect(throws: VaultError.tampered) { try vault.open(sealed, context: "c") }
    }

    @Test func changedNonceIsDetected() throws {
        let vault = Vault(current: SecretKey.generate())
        var sealed = try vault.seal("secret", context: "c")
        sealed.nonce[3] ^= 0xFF
        #expect(throws: VaultError.tampered) { try vault.open(sealed, context: "c") }
    }

    @Test func truncatedCiphertextIsDetected() throws {
        let vault = Vault(current: SecretKey.generate())
        var sealed = try vault.seal("secret", context: "c")
        sealed.ciphertext = sealed.ciphertext.prefix(10)
        #expect(throws: VaultError.tampered) { try vault.open(sealed, context: "c") }
    }

    @Test func ciphertextMovedToAnotherRecordFails() throws {
        let vault = Vault(current: SecretKey.generate())
        let sealed = try vault.seal("secret of 1", context: "credential:1")
        #expect(throws: VaultError.tampered) { try vault.open(sealed, context: "credential:2") }
    }

    @Test func unknownKeyIdIsNamed() throws {
        let sealed = try Vault(current: SecretKey.generate()).seal("x", context: "c")
        let other = Vault(current: SecretKey.generate())
        #expect(throws: VaultError.unknownKey(sealed.keyID)) { try other.open(sealed, context: "c") }
    }

    @Test func rotationOpensOldSecretsAndResealsWithTheNewKey() throws {
        // setup
        let old = SecretKey.generate()
        let sealedWithOld = try Vault(current: old).seal("rotate me", context: "c")
        let new = SecretKey.generate()
        let rotated = Vault(current: new, previous: [old])
        // act
        let resealed = try rotated.reseal(sealedWithOld, context: "c")
        // assert
        #expect(try rotated.openString(sealedWithOld, context: "c") == "rotate me")
        #expect(resealed.keyID == new.id)
        #expect(try Vault(current: new).openString(resealed, context: "c") == "rotate me")
    }

    @Test func errorMessagesCarryNoSecret() throws {
        let vault = Vault(current: SecretKey.generate())
        var sealed = try vault.seal("TOPSECRET", context: "c")
        sealed.ciphertext[0] ^= 1
        do {
            _ = try vault.open(sealed, context: "c")
            Issue.record("expected failure")
        } catch {
            #expect(!error.description.contains("TOPSECRET"))
        }
    }
}
