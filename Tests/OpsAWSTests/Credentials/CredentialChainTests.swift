import Foundation
import Testing

@testable import OpsAWS

@Suite("Credential chain and cache")
struct CredentialChainTests {
    static func expiring(_ key: String, at expiration: Date?) -> ProvidedCredentials {
        ProvidedCredentials(
            credentials: AWSCredentials(accessKeyID: key, secretAccessKey: "s"), expiration: expiration, source: "test")
    }

    @Test func environmentVariables() async throws {
        let full = EnvironmentCredentialProvider(variables: [
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "envtoken",
        ])
        #expect(
            try await full.credentials().credentials
                == AWSCredentials(
                    accessKeyID: "AKIDENV", secretAccessKey: "envsecret", sessionToken: "envtoken"))
        let half = EnvironmentCredentialProvider(variables: ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SESSION_TOKEN": ""])
        await #expect(
            throws: AWSError.credentials(
                source: "environment", reason: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        ) { try await half.credentials() }
    }

    @Test func staticKeysMustNotBeEmpty() async throws {
        let empty = StaticCredentialProvider(AWSCredentials(accessKeyID: "", secretAccessKey: "x"), source: "UI")
        await #expect(throws: AWSError.credentials(source: "UI", reason: "access key id or secret access key is empty"))
        {
            try await empty.credentials()
        }
    }

    @Test func theStandardChainFallsThroughToIMDSAndStopsAtABrokenSource() async throws {
        // setup: no env keys, default profile with a region only, IMDS answering
        let files = ["/h/.aws/config": "[default]\nregion = us-east-1\n"]
        let imds = FakeHTTPTransport(sequence: [.text("T"), .text("role"), .text(IMDSCredentialProviderTests.document)])
        let variables = ["HOME": "/h", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1"]
        // act
        let chain = AWSCredentialChain.standard(
            environment: .com, variables: variables, transport: imds, readFile: { files[$0] })
        // assert
        #expect(try await chain.credentials().source == "IMDSv2 role 'role'")
        let broken = AWSCredentialChain.standard(
            environment: .com, variables: variables.merging(["AWS_PROFILE": "typo"]) { _, new in new },
            transport: FakeHTTPTransport(sequence: []), readFile: { files[$0] })
        await #expect(
            throws: AWSError.credentials(
                source: "profile 'typo'", reason: "no such profile in /h/.aws/config and /h/.aws/credentials")
        ) {
            try await broken.credentials()
        }
    }

    @Test func environmentKeysComeFirstAndNothingListsEverySource() async throws {
        let variables = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_PROFILE": "x"]
        let chain = AWSCredentialChain.standard(
            environment: .gov, variables: variables, transport: FakeHTTPTransport(sequence: []), readFile: { _ in nil })
        #expect(try await chain.credentials().source == "environment")
        let empty = AWSCredentialChain.standard(
            environment: .com, variables: ["AWS_EC2_METADATA_DISABLED": "true"],
            transport: FakeHTTPTransport(sequence: []), readFile: { _ in nil }, onEC2: true)
        await #expect(
            throws: AWSError.noCredentials(tried: [
                "environment: AWS_ACCESS_KEY_ID is not set",
                "profile 'default': no config or credentials file (HOME, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE unset)",
                "IMDSv2: AWS_EC2_METADATA_DISABLED is true",
            ])
        ) { try await empty.credentials() }
    }

    @Test func offEC2TheChainNeverAsksIMDS() async throws {
        // setup: a transport that fails the test if anything is sent
        let chain = AWSCredentialChain.standard(
            environment: .com, variables: [:], transport: FakeHTTPTransport(sequence: []), readFile: { _ in nil },
            onEC2: false)
        // act + assert
        await #expect(
            throws: AWSError.noCredentials(tried: [
                "environment: AWS_ACCESS_KEY_ID is not set",
                "profile 'default': no config or credentials file (HOME, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE unset)",
                "IMDSv2: this host is not an EC2 instance (set AWS_EC2_METADATA_SERVICE_ENDPOINT to use one anyway)",
            ])
        ) { try await chain.credentials() }
    }

    @Test(arguments: [
        (["/sys/devices/virtual/dmi/id/sys_vendor": "Amazon EC2\n"], true),
        (["/sys/hypervisor/uuid": "ec2e1916-9099-7caf-fd21-012345abcdef\n"], true),
        (["/sys/devices/virtual/dmi/id/sys_vendor": "QEMU\n"], false),
        ([:], false),
    ])
    func ec2IsRecognisedFromDMI(files: [String: String], expected: Bool) {
        #expect(EC2HostDetection.looksLikeEC2(readFile: { files[$0] }) == expected)
    }

    @Test func theCacheRefreshesFiveMinutesBeforeExpiry() async throws {
        // setup
        let clock = TestClock()
        let start = clock.now()
        let base = CountingCredentialProvider { call in Self.expiring("K\(call)", at: start.addingTimeInterval(3600)) }
        let cache = CachedCredentialProvider(base, clock: clock)
        // act + assert
        #expect(try await cache.credentials().credentials.accessKeyID == "K1")
        clock.advance(by: 3600 - 301)
        #expect(try await cache.credentials().credentials.accessKeyID == "K1")
        clock.advance(by: 1)
        #expect(try await cache.credentials().credentials.accessKeyID == "K2")
        #expect(await base.calls == 2)
        await cache.invalidate()
        #expect(try await cache.credentials().credentials.accessKeyID == "K3")
    }

    @Test func theCacheKeepsLongTermKeysAndDoesNotCacheFailures() async throws {
        let clock = TestClock()
        let base = CountingCredentialProvider { call in
            if call == 1 { throw AWSError.transport(reason: "down") }
            return Self.expiring("K\(call)", at: nil)
        }
        let cache = CachedCredentialProvider(base, clock: clock)
        await #expect(throws: AWSError.transport(reason: "down")) { try await cache.credentials() }
        #expect(try await cache.credentials().credentials.accessKeyID == "K2")
        clock.advance(by: 86_400 * 365)
        #expect(try await cache.credentials().credentials.accessKeyID == "K2")
        #expect(await base.calls == 2)
    }

    @Test func concurrentCallersShareOneRefresh() async throws {
        let base = CountingCredentialProvider { call in Self.expiring("K\(call)", at: nil) }
        let cache = CachedCredentialProvider(base, clock: TestClock())
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await cache.credentials().credentials.accessKeyID } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys == ["K1"])
        #expect(await base.calls == 1)
    }
}
