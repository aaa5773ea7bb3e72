import Foundation
import Testing

@testable import OpsAWS

@Suite("SigV4.sign")
struct SigV4SignTests {
    let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret")
    let date = Date(timeIntervalSince1970: 1_440_938_160)
    let request = SigV4.Request(
        method: "POST", host: "sts.amazonaws.com", body: Array("Action=GetCallerIdentity&Version=2011-06-15".utf8))

    private func sign(_ request: SigV4.Request, _ credentials: AWSCredentials, _ options: SigV4.Options = .init())
        -> SigV4.Request
    {
        SigV4.sign(
            request: request, credentials: credentials, date: date, region: "us-east-1", service: "sts",
            options: options)
    }

    @Test func signingAgainReplacesStaleSignatureDateAndToken() {
        // setup
        let temporary = AWSCredentials(accessKeyID: "ASIA1", secretAccessKey: "s", sessionToken: "new-token")
        var stale = request
        stale.headers += [
            .init("x-amz-date", "20000101T000000Z"), .init("authorization", "old"),
            .init("X-AMZ-SECURITY-TOKEN", "old"),
        ]
        // act
        let signed = sign(stale, temporary)
        // assert
        #expect(signed.headerValues("X-Amz-Date") == ["20150830T123600Z"])
        #expect(signed.headerValues("X-Amz-Security-Token") == ["new-token"])
        #expect(signed.headerValues("Authorization").count == 1)
        #expect(signed == sign(request, temporary))
    }

    @Test func theSessionTokenIsSigned() {
        // setup
        let temporary = AWSCredentials(accessKeyID: "ASIA1", secretAccessKey: "s", sessionToken: "tok")
        // act
        let authorization = SigV4.authorization(
            for: SigV4.prepare(request: request, credentials: temporary, date: date), credentials: temporary,
            date: date, region: "us-east-1", service: "sts")
        // assert
        #expect(authorization.canonicalRequest.contains("\nx-amz-security-token:tok\n"))
        #expect(authorization.headerValue.contains("SignedHeaders=host;x-amz-date;x-amz-security-token,"))
    }

    @Test func noTokenHeaderWithoutASessionToken() {
        #expect(sign(request, credentials).headerValues("X-Amz-Security-Token").isEmpty)
    }

    @Test func contentSHA256HeaderOnRequest() {
        // act
        let signed = sign(request, credentials, SigV4.Options(addContentSHA256Header: true))
        // assert
        let hash = SigV4.hashedPayload(request.body)
        #expect(signed.headerValues("X-Amz-Content-Sha256") == [hash])
        #expect(signed.headerValues("Authorization").first?.contains("x-amz-content-sha256;x-amz-date") == true)
        #expect(sign(request, credentials).headerValues("X-Amz-Content-Sha256").isEmpty)
    }

    @Test func aCallerSuppliedPayloadHashIsSignedInsteadOfTheBody() {
        // setup
        var unsigned = request
        unsigned.headers.append(.init("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"))
        // act
        let canonical = SigV4.canonicalRequest(for: unsigned)
        // assert
        #expect(canonical.hasSuffix("\nUNSIGNED-PAYLOAD"))
    }

    @Test func theHostIsSignedButNotAddedAsAHeader() {
        // act
        let signed = sign(request, credentials)
        // assert: the HTTP client sends Host itself; a second one would be a malformed request
        #expect(signed.headerValues("Host").isEmpty)
        #expect(SigV4.canonicalRequest(for: signed).contains("\nhost:sts.amazonaws.com\n"))
    }

    @Test func anExplicitHostHeaderWinsOverTheHostField() {
        // setup
        var proxied = request
        proxied.headers.append(.init("Host", "localhost:5000"))
        // act
        let canonical = SigV4.canonicalRequest(for: proxied)
        // assert
        #expect(canonical.contains("\nhost:localhost:5000\n"))
        #expect(!canonical.contains("sts.amazonaws.com"))
    }

    @Test func theBodyIsCoveredBySignature() {
        // setup
        var tampered = request
        tampered.body = Array("Action=GetCallerIdentity&Version=2011-06-16".utf8)
        // act / assert
        #expect(
            sign(tampered, credentials).headerValues("Authorization")
                != sign(request, credentials).headerValues("Authorization"))
    }

    @Test func callerHeadersKeepTheirOrderAndCase() {
        // setup
        var custom = request
        custom.headers = [.init("Content-Type", "a"), .init("X-Amz-Target", "b")]
        // act
        let names = sign(custom, credentials).headers.map(\.name)
        // assert
        #expect(names == ["Content-Type", "X-Amz-Target", "X-Amz-Date", "Authorization"])
    }
}
