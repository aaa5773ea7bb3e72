import Foundation
import Testing

@testable import OpsAWS

@Suite("SigV4 against AWS's published test suite")
struct SigV4TestSuiteTests {
    @Test(arguments: SigV4SuiteVector.all)
    func everyStageMatchesTheSuite(_ vector: SigV4SuiteVector) {
        // setup
        let prepared = SigV4.prepare(
            request: vector.request, credentials: vector.credentials, date: SigV4SuiteVector.date,
            options: vector.options)
        // act
        let steps = SigV4.authorization(
            for: prepared, credentials: vector.credentials, date: SigV4SuiteVector.date,
            region: SigV4SuiteVector.region, service: SigV4SuiteVector.service, options: vector.options)
        // assert
        #expect(steps.canonicalRequest == vector.canonicalRequest)
        #expect(steps.stringToSign == vector.stringToSign)
        #expect(steps.headerValue == vector.authorization)
    }

    @Test(arguments: SigV4SuiteVector.all)
    func signAddsTheSuiteHeaders(_ vector: SigV4SuiteVector) {
        // act
        let signed = SigV4.sign(
            request: vector.request, credentials: vector.credentials, date: SigV4SuiteVector.date,
            region: SigV4SuiteVector.region, service: SigV4SuiteVector.service, options: vector.options)
        // assert
        #expect(signed.headerValues("Authorization") == [vector.authorization])
        #expect(signed.headerValues("X-Amz-Date") == ["20150830T123600Z"])
        #expect(signed.headerValues("X-Amz-Security-Token") == (vector.sessionToken.map { [$0] } ?? []))
        #expect(signed.headers.last?.name == "Authorization")
    }

    @Test func theSuiteIsAllThere() {
        // 34 cases from botocore's copy of the suite, 9 from aws-c-auth's (unnormalized paths, signed body).
        #expect(SigV4SuiteVector.all.count == 43)
        #expect(Set(SigV4SuiteVector.all.map(\.name)).count == 43)
    }
}
