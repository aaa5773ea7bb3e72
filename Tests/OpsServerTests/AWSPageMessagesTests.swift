import Foundation
import Testing
import VaporTesting

@testable import OpsServer

/// Issue 16.7: an EC2 search that failed (no credentials) does not claim that no instance matches, and AWS
/// messages show the server's file paths to admins only.
@Suite("AWS pages: failed searches and server paths")
struct AWSPageMessagesTests {
    /// No credentials anywhere: no keys in the environment, a home without `.aws`, no instance metadata.
    static let nowhere = AWSGateway(processVariables: [
        "HOME": "/srv/pcm-home", "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
    ])

    @Test func aSearchWithoutCredentialsSaysNothingWasListed() async throws {
        try await TestApp.run(aws: Self.nowhere) { test in
            // act
            let page = try await test.send(
                .GET, "/aws/instances?search=1&environment=com&region=us-east-1&region=us-west-2",
                session: try await test.session("admin"))

            // assert
            #expect(page.status == .ok)
            #expect(page.text.contains("scope-error"))
            #expect(!page.text.contains("No instances match."))
            #expect(page.text.contains("No instances could be listed: the search failed in every account and region"))
        }
    }

    @Test func viewersAndOperatorsDoNotSeeServerPathsAdminsDo() async throws {
        try await TestApp.run(aws: Self.nowhere) { test in
            for user in ["vera", "oscar", "admin"] {
                // act
                let session = try await test.session(user)
                let search = try await test.send(.GET, "/aws/instances?search=1&environment=com", session: session)
                let status = try await test.send(.GET, "/aws", session: session)

                // assert
                for page in [search, status] {
                    #expect(page.status == .ok)
                    if user == "admin" {
                        #expect(page.text.contains("/srv/pcm-home/.aws/"), "the admin needs the path")
                    } else {
                        #expect(!page.text.contains("/srv/pcm-home"), "\(user) sees a server path")
                        #expect(page.text.contains(ServerPathRedaction.placeholder), "\(user)")
                    }
                }
            }
        }
    }

    @Test func theAPIHidesServerPathsFromNonAdminsToo() async throws {
        try await TestApp.run(aws: Self.nowhere) { test in
            for user in ["vera", "admin"] {
                // act
                let token = try await test.token(user)
                let environments = try await test.send(.GET, "/api/v1/aws/environments", bearer: token)
                let instances = try await test.send(.GET, "/api/v1/aws/instances?environment=com", bearer: token)

                // assert
                for response in [environments, instances] {
                    #expect(response.status == .ok)
                    #expect(response.text.contains("/srv/pcm-home") == (user == "admin"), "\(user): \(response.text)")
                    #expect(response.text.contains(ServerPathRedaction.placeholder) == (user != "admin"), "\(user)")
                }
            }
        }
    }
}
