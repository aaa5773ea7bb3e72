/// Everything the engine needs to drive a run, resolved and rendered beforehand: nothing in it can
/// fail validation any more.
public struct RunPlan: Sendable {
    public var steps: [PlannedStep]
    /// Target names, in the order they are admitted.
    public var targets: [String]
    /// Targets with a step in flight at once (rolling window).
    public var maxConcurrency: Int
    /// Failed targets tolerated; one more and no new target starts.
    public var maxErrors: Int
    /// Bytes kept per stream per script.
    public var outputCap: Int
    /// Secret values masked in output.
    public var redactor: OutputRedactor

    public init(
        steps: [PlannedStep], targets: [String], maxConcurrency: Int, maxErrors: Int, outputCap: Int = 1 << 20,
        redactor: OutputRedactor = OutputRedactor(secrets: [])
    ) {
        self.steps = steps
        self.targets = targets
        self.maxConcurrency = max(1, maxConcurrency)
        self.maxErrors = max(0, maxErrors)
        self.outputCap = outputCap
        self.redactor = redactor
    }
}

/// One step of a run: an action's rendered scripts and how it behaves.
public struct PlannedStep: Sendable {
    public var action: String
    public var name: String
    public var script: RenderedScript
    public var validation: RenderedScript?
    public var rollback: RenderedScript?
    public var timeout: Duration
    public var requiresAdmin: Bool
    public var onFailure: FailurePolicy

    public init(
        action: String, name: String, script: RenderedScript, validation: RenderedScript? = nil,
        rollback: RenderedScript? = nil, timeout: Duration, requiresAdmin: Bool = false,
        onFailure: FailurePolicy = .stop
    ) {
        self.action = action
        self.name = name
        self.script = script
        self.validation = validation
        self.rollback = rollback
        self.timeout = timeout
        self.requiresAdmin = requiresAdmin
        self.onFailure = onFailure
    }

    func script(for phase: ScriptPhase) -> RenderedScript? {
        switch phase {
        case .action: script
        case .validation: validation
        case .rollback: rollback
        }
    }
}

extension Interpreter {
    /// The command that reads a script from standard input, so scripts of any length and content
    /// never pass through a command line.
    public var stdinCommand: String {
        switch self {
        case .bash: "bash -s"
        case .sh: "sh -s"
        case .powershell: "powershell -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command -"
        }
    }
}

extension RenderedScript {
    /// The request that runs this script through its interpreter's standard input.
    public func request(timeout: Duration, outputCap: Int) -> ExecRequest {
        ExecRequest(command: interpreter.stdinCommand, timeout: timeout, outputCap: outputCap, stdin: Array(text.utf8))
    }
}
