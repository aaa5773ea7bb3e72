/// Where the `local` transport (run on the PCM-Ops host itself) is switched on, so that refusing a `local`
/// target names what works for the command at hand.
public enum LocalTransportSwitch: Sendable, Equatable {
    /// The server's `--allow-local` flag (`PCMOPS_ALLOW_LOCAL`), which also `pcm-ops run` takes: the web pages,
    /// the API and runs.
    case allowLocalFlag
    /// `PCMOPS_ALLOW_LOCAL=true` in the environment of a CLI command that writes targets to the database itself
    /// (`targets add`, `inventory import`), which has no `--allow-local` flag.
    case environment

    /// How to allow it, for the end of an error message.
    var howToAllow: String {
        switch self {
        case .allowLocalFlag:
            "start pcm-ops serve (or pcm-ops run) with --allow-local to run on the PCM-Ops host itself"
        case .environment:
            "run this command with PCMOPS_ALLOW_LOCAL=true in its environment to add such targets (the server "
                + "runs them only when started with --allow-local)"
        }
    }
}
