import Foundation
import Testing

@testable import OpsServer

/// `~` in key file paths, expanded as Ansible's `os.path.expanduser` does.
@Suite("Home directory in inventory paths")
struct HomePathTests {
    @Test(arguments: [
        ("~/.ssh/id_ops", "/home/ops/.ssh/id_ops"), ("~", "/home/ops"), ("/keys/k.pem", "/keys/k.pem"),
        ("keys/~/k", "keys/~/k"), ("~nosuch-user-pcmops/k", "~nosuch-user-pcmops/k"),
    ])
    func tildeFollowsHOME(_ path: String, expected: String) {
        #expect(HomePath.expand(path, environment: ["HOME": "/home/ops"]) == expected)
    }

    @Test func trailingSlashInHOMEIsNotDoubled() {
        #expect(HomePath.expand("~/k", environment: ["HOME": "/home/ops/"]) == "/home/ops/k")
    }

    @Test func withoutHOMETheAccountsHomeIsUsed() {
        #expect(HomePath.expand("~/k", environment: [:]) == NSHomeDirectory() + "/k")
    }

    @Test func anotherUsersHomeComesFromThePasswordDatabase() throws {
        // setup: root exists on every machine these tests run on.
        let root = try #require(FileManager.default.homeDirectory(forUser: "root")?.path)

        // act, assert
        #expect(HomePath.expand("~root/.ssh/k", environment: ["HOME": "/elsewhere"]) == root + "/.ssh/k")
    }
}
