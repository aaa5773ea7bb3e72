import Testing

@testable import OpsWinRM

@Suite("WinRM endpoint defaults")
struct WinRMEndpointTests {
    @Test func port5985MeansHTTPWithNTLM() {
        let endpoint = WinRMEndpoint(host: "win1.example")
        #expect(endpoint.port == 5985)
        #expect(endpoint.scheme == .http)
        #expect(endpoint.authentication == .ntlm)
        #expect(endpoint.url == "http://win1.example:5985/wsman")
        #expect(endpoint.refusal == nil)
    }

    @Test func port5986MeansHTTPS() {
        let endpoint = WinRMEndpoint(host: "10.0.0.5", port: 5986)
        #expect(endpoint.scheme == .https)
        #expect(endpoint.url == "https://10.0.0.5:5986/wsman")
        #expect(WinRMEndpoint(host: "h", scheme: .https).port == 5986)
    }

    @Test func ipv6LiteralIsBracketed() {
        #expect(WinRMEndpoint(host: "::1", port: 5985).url == "http://[::1]:5985/wsman")
    }

    @Test func basicOverHTTPIsRefusedWithTheReason() throws {
        let endpoint = WinRMEndpoint(host: "h", port: 5985, authentication: .basic)
        let refusal = try #require(endpoint.refusal)
        #expect(refusal.contains("HTTPS"))
        #expect(WinRMEndpoint(host: "h", port: 5986, authentication: .basic).refusal == nil)
    }
}
