import Foundation
import Testing

@testable import OpsAWS

/// The worked example of the IAM user guide ("Create a signed AWS API request"): ListUsers on IAM at
/// 2015-08-30T12:36:00Z, checked stage by stage.
@Suite("SigV4 IAM documentation example")
struct SigV4IAMExampleTests {
    let credentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    let date = Date(timeIntervalSince1970: 1_440_938_160)
    let request = SigV4.Request(
        method: "GET", host: "iam.amazonaws.com", path: "/",
        query: [.init("Version", "2010-05-08"), .init("Action", "ListUsers")],
        headers: [.init("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")])
    var scope: SigV4.CredentialScope { SigV4.CredentialScope(date: AMZDate(date), region: "us-east-1", service: "iam") }

    @Test func canonicalRequest() {
        // act
        let prepared = SigV4.prepare(request: request, credentials: credentials, date: date)
        let canonical = SigV4.canonicalRequest(for: prepared)
        // assert
        #expect(
            canonical == """
                GET
                /
                Action=ListUsers&Version=2010-05-08
                content-type:application/x-www-form-urlencoded; charset=utf-8
                host:iam.amazonaws.com
                x-amz-date:20150830T123600Z

                content-type;host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """)
        #expect(
            SigV4.hashedPayload(Array(canonical.utf8))
                == "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59")
    }

    @Test func stringToSign() {
        // setup
        let canonical = SigV4.canonicalRequest(
            for: SigV4.prepare(request: request, credentials: credentials, date: date))
        // act
        let toSign = SigV4.stringToSign(canonicalRequest: canonical, date: AMZDate(date), scope: scope)
        // assert
        #expect(
            toSign == """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/iam/aws4_request
                f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59
                """)
    }

    @Test func signingKey() {
        // act
        let key = SigV4.signingKey(secretAccessKey: credentials.secretAccessKey, scope: scope)
        // assert
        #expect(
            key.withUnsafeBytes { SigV4.hex($0) }
                == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
    }

    @Test func signature() {
        // setup
        let toSign = """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/iam/aws4_request
            f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59
            """
        let key = SigV4.signingKey(secretAccessKey: credentials.secretAccessKey, scope: scope)
        // act
        let signature = SigV4.signature(stringToSign: toSign, signingKey: key)
        // assert
        #expect(signature == "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
    }

    @Test func authorizationHeader() {
        // act
        let signed = SigV4.sign(
            request: request, credentials: credentials, date: date, region: "us-east-1", service: "iam")
        // assert
        #expect(
            signed.headerValues("Authorization") == [
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date, "
                    + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
            ])
    }

    @Test func anotherDayRegionOrServiceGivesAnotherKey() {
        // setup
        let reference = SigV4.signingKey(secretAccessKey: credentials.secretAccessKey, scope: scope)
        var variants = [scope, scope, scope]
        variants[0].date = "20150831"
        variants[1].region = "us-gov-west-1"
        variants[2].service = "sts"
        // act / assert
        for variant in variants {
            #expect(SigV4.signingKey(secretAccessKey: credentials.secretAccessKey, scope: variant) != reference)
        }
    }
}
