import Foundation

/// Where the optional LLM backend is and how long to wait for it (`--conductor-llm-url`, model and key from
/// the environment). Off unless the server builds an `LLMConductorPlanner` with one.
public struct LLMConductorConfig: Sendable, Equatable {
    /// The server's base URL (`http://127.0.0.1:11434` for Ollama, `http://host:8000` for vLLM); requests go
    /// to `/v1/chat/completions` under it, unless it already ends in `/chat/completions`.
    public var url: URL
    public var model: String
    /// Sent as `Authorization: Bearer …` when set; never logged or shown.
    public var apiKey: String?
    /// After this the deterministic planner answers.
    public var timeout: Duration

    public init(url: URL, model: String, apiKey: String? = nil, timeout: Duration = .seconds(10)) {
        self.url = url
        self.model = model
        self.apiKey = apiKey
        self.timeout = timeout
    }

    /// The chat completions endpoint.
    public var endpoint: URL {
        let text = url.absoluteString
        if text.hasSuffix("/chat/completions") { return url }
        return URL(string: (text.hasSuffix("/") ? String(text.dropLast()) : text) + "/v1/chat/completions") ?? url
    }
}

/// Why the LLM's answer was not used (the deterministic planner answered instead).
public enum LLMPlannerError: Error, Equatable, Sendable, CustomStringConvertible {
    case transport(String)
    case status(Int)
    case timeout
    case malformedResponse(String)
    case invalidProposal(String)

    public var description: String {
        switch self {
        case .transport(let message): "the LLM server could not be reached: \(message)"
        case .status(let code): "the LLM server answered HTTP \(code)"
        case .timeout: "the LLM server did not answer in time"
        case .malformedResponse(let message): "the LLM's answer is not a proposal: \(message)"
        case .invalidProposal(let message): "the LLM's proposal does not hold: \(message)"
        }
    }
}
