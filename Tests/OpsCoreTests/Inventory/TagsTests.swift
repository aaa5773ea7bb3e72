import Testing

@testable import OpsCore

@Suite("Tags and tag selectors")
struct TagsTests {
    @Test func parsesInOrderAndRoundTrips() throws {
        // act
        let tags = try Tags(parsing: " Env=prod , role=web;Team.Name=pay-ments ")

        // assert
        #expect(tags.keys == ["env", "role", "team.name"])
        #expect(tags["ENV"] == "prod")
        #expect(tags.description == "env=prod,role=web,team.name=pay-ments")
        #expect(try Tags(parsing: tags.description) == tags)
    }

    @Test func blankTextIsNoTags() throws {
        #expect(try Tags(parsing: "  ").isEmpty)
        #expect(Tags().description == "")
    }

    @Test(arguments: [
        ("env=prod,role", "role", "expected key=value"),
        ("env=prod,,role=web", "", "expected key=value"),
        ("=prod", "=prod", "the key is empty"),
        ("env=", "env=", "the value is empty"),
        ("env=a=b", "env=a=b", "may not contain"),
        ("en v=prod", "en v=prod", "keys may contain only"),
        ("env=prod,ENV=dev", "ENV=dev", "given twice"),
    ])
    func refusesBadPairsNamingThem(_ text: String, pair: String, reason: String) {
        #expect(throws: InventoryError.self) { try Tags(parsing: text) }
        do {
            _ = try Tags(parsing: text)
        } catch {
            guard case .invalidTag(let reported, let message) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(reported == pair)
            #expect(message.contains(reason))
        }
    }

    @Test func selectorNeedsEveryTerm() throws {
        // setup
        let selector = try TagSelector(parsing: "env=prod, Role=web")

        // act / assert
        #expect(selector.matches(["env": "prod", "role": "web", "team": "pay"]))
        #expect(selector.matches(["ENV": "prod", "Role": "web"]))
        #expect(!selector.matches(["env": "prod", "role": "db"]))
        #expect(!selector.matches(["env": "prod"]))
        #expect(!selector.matches(["env": "Prod", "role": "web"]))
        #expect(selector.description == "env=prod,role=web")
    }

    @Test func selectorNotEqualsAndHasKey() throws {
        // setup
        let selector = try TagSelector(parsing: "env!=prod,canary")

        // act / assert: a missing tag is "not prod".
        #expect(selector.matches(["canary": "yes"]))
        #expect(selector.matches(["canary": "yes", "env": "staging"]))
        #expect(!selector.matches(["canary": "yes", "env": "prod"]))
        #expect(!selector.matches(["env": "staging"]))
        #expect(selector.matches(try Tags(parsing: "canary=1")))
        #expect(try TagSelector(parsing: selector.description) == selector)
    }

    @Test(arguments: ["", "   ", "env=prod,", "env=", "!=prod", "bad key", "env=prod,role=a=b"])
    func refusesBadSelectors(_ text: String) {
        #expect(throws: InventoryError.self) { try TagSelector(parsing: text) }
    }
}
