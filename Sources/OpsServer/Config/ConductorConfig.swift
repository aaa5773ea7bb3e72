import Foundation

/// Conductor's optional LLM backend (issue 19): off unless `--conductor-llm-url` (PCMOPS_CONDUCTOR_LLM_URL) names an
/// OpenAI-compatible server (`/v1/chat/completions`: a local Ollama or vLLM). The model and the key come from the
/// environment only, so a key never shows in a process list. The deterministic planner answers whenever the model
/// fails, times out or is not configured.
public struct ConductorConfig: Sendable, Equatable {
    /// The server's base URL; nil: the deterministic planner alone.
    public var llmURL: URL?
    /// PCMOPS_CONDUCTOR_LLM_MODEL.
    public var llmModel: String?
    /// PCMOPS_CONDUCTOR_LLM_KEY: sent as a bearer token; never logged.
    public var llmKey: String?

    public init(llmURL: URL? = nil, llmModel: String? = nil, llmKey: String? = nil) {
        self.llmURL = llmURL
        self.llmModel = llmModel
        self.llmKey = llmKey
    }

    /// From the flag, then PCMOPS_CONDUCTOR_LLM_URL; model and key from the environment.
    public static func load(url flag: String?, environment: [String: String]) throws(ConfigError) -> ConductorConfig {
        func variable(_ name: String) -> String? {
            environment[name].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        }
        var config = ConductorConfig()
        guard let text = flag ?? variable("PCMOPS_CONDUCTOR_LLM_URL") else { return config }
        guard let url = URL(string: text.trimmingCharacters(in: .whitespaces)),
            let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host?.isEmpty == false
        else {
            throw ConfigError(field: "conductor-llm-url", message: "must be an http:// or https:// URL, got '\(text)'")
        }
        guard let model = variable("PCMOPS_CONDUCTOR_LLM_MODEL") else {
            throw ConfigError(
                field: "conductor-llm-url", message: "needs the model's name in PCMOPS_CONDUCTOR_LLM_MODEL")
        }
        config.llmURL = url
        config.llmModel = model
        config.llmKey = variable("PCMOPS_CONDUCTOR_LLM_KEY")
        return config
    }
}
