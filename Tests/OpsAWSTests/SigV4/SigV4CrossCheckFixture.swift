import Foundation

@testable import OpsAWS

/// A file written by `sigv4_botocore_crosscheck.py`: random requests and what botocore's SigV4Auth made of them.
struct SigV4CrossCheckFixture: Decodable {
    var botocoreVersion: String
    var seed: Int
    var date: String
    var epochSeconds: Int
    var cases: [Case]

    enum CodingKeys: String, CodingKey {
        case botocoreVersion = "botocore_version"
        case seed, date, cases
        case epochSeconds = "epoch_seconds"
    }

    struct Case: Decodable {
        var name: String
        var method: String
        var host: String
        var path: String
        var query: [[String]]
        var headers: [[String]]
        var region: String
        var service: String
        var addContentSHA256: Bool
        var normalizePath: Bool
        var accessKeyID: String
        var secretAccessKey: String
        var sessionToken: String?
        var bodyBase64: String
        var expected: Expected

        enum CodingKeys: String, CodingKey {
            case name, method, host, path, query, headers, region, service, expected
            case addContentSHA256 = "add_content_sha256"
            case normalizePath = "normalize_path"
            case accessKeyID = "access_key_id"
            case secretAccessKey = "secret_access_key"
            case sessionToken = "session_token"
            case bodyBase64 = "body_base64"
        }

        var credentials: AWSCredentials {
            AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
        }

        var options: SigV4.Options {
            SigV4.Options(normalizePath: normalizePath, addContentSHA256Header: addContentSHA256)
        }

        /// The request the generator handed botocore. Pairs that are not pairs are a broken fixture.
        func request() throws -> SigV4.Request {
            guard let body = Data(base64Encoded: bodyBase64) else { throw FixtureError.badBody(name) }
            let query = try query.map { pair in
                guard pair.count == 2 else { throw FixtureError.badPair(name) }
                return SigV4.QueryItem(pair[0], pair[1])
            }
            let headers = try headers.map { pair in
                guard pair.count == 2 else { throw FixtureError.badPair(name) }
                return SigV4.Header(pair[0], pair[1])
            }
            return SigV4.Request(
                method: method, host: host, path: path, query: query, headers: headers, body: Array(body))
        }
    }

    struct Expected: Decodable {
        var canonicalRequest: String
        var stringToSign: String
        var authorization: String
        var addedHeaders: [String: [String]]

        enum CodingKeys: String, CodingKey {
            case canonicalRequest = "canonical_request"
            case stringToSign = "string_to_sign"
            case authorization
            case addedHeaders = "added_headers"
        }
    }

    enum FixtureError: Error {
        case badBody(String)
        case badPair(String)
        case missingBundledFixture
    }

    /// The file named by `PCMOPS_SIGV4_CROSSCHECK`, else the small fixture committed beside the tests.
    static func load() throws -> (fixture: SigV4CrossCheckFixture, source: String) {
        let url: URL
        if let path = ProcessInfo.processInfo.environment["PCMOPS_SIGV4_CROSSCHECK"], !path.isEmpty {
            url = URL(fileURLWithPath: path)
        } else if let bundled = bundledURL {
            url = bundled
        } else {
            throw FixtureError.missingBundledFixture
        }
        let fixture = try JSONDecoder().decode(SigV4CrossCheckFixture.self, from: Data(contentsOf: url))
        return (fixture, url.path)
    }

    static var bundledURL: URL? {
        Bundle.module.url(forResource: "sigv4-botocore", withExtension: "json", subdirectory: "Fixtures")
    }
}
