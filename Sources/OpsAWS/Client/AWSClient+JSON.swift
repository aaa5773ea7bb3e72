import Foundation

extension AWSClient {
    /// The `Content-Type` of JSON 1.1 requests (SSM, Organizations).
    public static let json11ContentType = "application/x-amz-json-1.1"

    /// Sends a JSON 1.1 request (`X-Amz-Target: <target>`, e.g. `AmazonSSM.SendCommand`) and decodes the answer.
    /// Timestamps travel as epoch seconds, as in every JSON 1.1 service.
    public func json<Input: Encodable, Output: Decodable>(
        target: String, _ input: Input, to endpoint: AWSEndpoint, as output: Output.Type = Output.self
    ) async throws -> Output {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        let body = Array(try encoder.encode(input))
        let response = try await send(
            method: "POST", endpoint: endpoint,
            headers: [SigV4.Header("Content-Type", Self.json11ContentType), SigV4.Header("X-Amz-Target", target)],
            body: body, protocol: .json)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        do {
            return try decoder.decode(Output.self, from: Data(response.body.isEmpty ? Array("{}".utf8) : response.body))
        } catch {
            throw AWSError.malformedJSON(operation: target, reason: String(describing: error))
        }
    }
}

/// An empty JSON object, for operations whose answer carries nothing PCM-Ops reads.
public struct AWSEmptyJSON: Codable, Sendable, Equatable {
    public init() {}
}
