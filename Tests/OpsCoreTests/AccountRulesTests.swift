import Testing

@testable import OpsCore

@Suite("Roles, usernames, passwords, tokens")
struct AccountRulesTests {
    @Test func rolesAreOrdered() {
        #expect(Role.admin.allows(.operator))
        #expect(Role.operator.allows(.viewer))
        #expect(!Role.viewer.allows(.operator))
        #expect(!Role.operator.allows(.admin))
        #expect(Role(parsing: " Admin ") == .admin)
        #expect(Role(parsing: "root") == nil)
    }

    @Test(arguments: ["alice", "ops.bot-1", "b_2"])
    func acceptsUsernames(_ name: String) {
        #expect((try? Username.validate(name).get()) == name)
    }

    @Test(arguments: ["", "   ", "-leading", "has space", "semi;colon", "ünïcode", String(repeating: "a", count: 65)])
    func refusesUsernames(_ name: String) {
        #expect(throws: AccountValidationError.self) { try Username.validate(name).get() }
    }

    @Test func usernamesAreLowerCased() throws {
        #expect(try Username.validate("Alice").get() == "alice")
    }

    @Test func passwordPolicy() {
        #expect(throws: AccountValidationError.self) { try PasswordPolicy.validate("short").get() }
        #expect(throws: AccountValidationError.self) {
            try PasswordPolicy.validate(String(repeating: "x", count: 73)).get()
        }
        #expect((try? PasswordPolicy.validate("a long enough password").get()) != nil)
    }

    @Test func generatedSecretsAreRandomAndUrlSafe() {
        let first = RandomToken.urlSafe()
        let second = RandomToken.urlSafe()
        #expect(first != second)
        #expect(first.count == 43)
        #expect(!first.contains("+") && !first.contains("/") && !first.contains("="))
        #expect(RandomToken.password().count == 20)
    }

    @Test func sha256HexMatchesKnownVector() {
        #expect(RandomToken.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func constantTimeEquals() {
        #expect(RandomToken.constantTimeEquals("abc", "abc"))
        #expect(!RandomToken.constantTimeEquals("abc", "abd"))
        #expect(!RandomToken.constantTimeEquals("abc", "abcd"))
    }
}
