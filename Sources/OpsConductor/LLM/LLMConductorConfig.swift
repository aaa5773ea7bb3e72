import Foundation

/// Where the optional LLM backend is and how long to wait for it (`--conductor-llm-url`, model and key from
/// the environment). Off unless the server builds an `LLMConductorPlanner` with one.
public struct LLMConductorConfig: Sendable, Equatable {
    /// The server's base URL (`http://127.0.0.1:11434` for Ollama, `http://host:8000` for vLLM); requests go
    /// to `/v1/chat/completions` under it, unless it already ends in `/chat/completions`.
    public var url: URL
    /// The model to ask (as the server names it: `llama3.1:8b`, `Qwen/Qwen2.5-7B-Instruct`).
    public var model: String
    /// Sent as `Authorization: Bearer …` when set; never logged or shown.
    public var apiKey: String?
    /// After this the deterministic planner answers.
    public var timeout: Duration

    /// A configuration; `timeout` bounds each answer (then the deterministic planner answers).
    public init(url: URL, model: String, apiKey: String? = nil, timeout: Duration = .seconds(10)) {
        self.url = url
        self.model = model
        self.apiKey = apiKey
        self.timeout = timeout
    }

    /// The configuration the server builds from `--conductor-llm-url` and the environment:
    /// `PCMOPS_CONDUCTOR_LLM_MODEL` (required), `PCMOPS_CONDUCTOR_LLM_KEY` (optional) and
    /// `PCMOPS_CONDUCTOR_LLM_TIMEOUT` (seconds, default 10). Nil without a URL (the backend is off); an error
    /// when the URL is not http(s) or the model is missing.
    public static func from(url: String?, environment: [String: String]) throws(LLMConfigError) -> LLMConductorConfig? {
        guard let url, !url.isEmpty else { return nil }
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
            parsed.host != nil
        else { throw .invalidURL(url) }
        guard let model = environment["PCMOPS_CONDUCTOR_LLM_MODEL"], !model.isEmpty else { throw .missingModel }
        var timeout = Duration.seconds(10)
        if let text = environment["PCMOPS_CONDUCTOR_LLM_TIMEOUT"] {
            guard let seconds = Double(text), seconds > 0, seconds <= 600 else { throw .invalidTimeout(text) }
            timeout = .milliseconds(Int(seconds * 1000))
        }
        let key = environment["PCMOPS_CONDUCTOR_LLM_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        return LLMConductorConfig(url: parsed, model: model, apiKey: key, timeout: timeout)
    }

    /// The chat completions endpoint.
    public var endpoint: URL {
        let text = url.absoluteString
        if text.hasSuffix("/chat/completions") { return url }
        return URL(string: (text.hasSuffix("/") ? String(text.dropLast()) : text) + "/v1/chat/completions") ?? url
    }
}

/// A configuration of the LLM backend that cannot work; the server refuses to start with it.
public enum LLMConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidURL(String)
    case missingModel
    case invalidTimeout(String)

    /// What went wrong, for logs and the answer\'s explanation.
    public var description: String {
        switch self {
        case .invalidURL(let url): "--conductor-llm-url '\(url)' is not an http(s) URL"
        case .missingModel: "--conductor-llm-url needs PCMOPS_CONDUCTOR_LLM_MODEL (the model to ask)"
        case .invalidTimeout(let text): "PCMOPS_CONDUCTOR_LLM_TIMEOUT '\(text)' is not a number of seconds in 0…600"
        }
    }
}

/// Why the LLM's answer was not used (the deterministic planner answered instead).
public enum LLMPlannerError: Error, Equatable, Sendable, CustomStringConvertible {
    case transport(String)
    case status(Int)
    case timeout
    case malformedResponse(String)
    case invalidProposal(String)

    /// What went wrong, for logs and the answer\'s explanation.
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
