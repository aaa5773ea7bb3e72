import Foundation
import Testing

@testable import OpsAWS

/// One case of AWS's SigV4 test suite: the request as the suite's `.req` file sends it, and the suite's
/// canonical request, string to sign and Authorization header.
struct SigV4SuiteVector: Sendable, CustomTestStringConvertible {
    var name: String
    var request: SigV4.Request
    var sessionToken: String? = nil
    var options = SigV4.Options()
    var canonicalRequest: String
    var stringToSign: String
    var authorization: String

    var testDescription: String { name }

    static let all = getVectors + queryVectors + pathVectors + postVectors

    /// The suite's fixed inputs.
    static let accessKeyID = "AKIDEXAMPLE"
    static let secretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let date = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z
    static let region = "us-east-1"
    static let service = "service"

    var credentials: AWSCredentials {
        AWSCredentials(accessKeyID: Self.accessKeyID, secretAccessKey: Self.secretAccessKey, sessionToken: sessionToken)
    }
}
