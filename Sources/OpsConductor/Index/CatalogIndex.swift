import OpsCore

/// One thing the catalog can run: a tool's action or workflow, with the words that describe it.
struct CatalogOperation: Sendable {
    var tool: ToolDefinition
    var action: ActionDefinition?
    var workflow: WorkflowDefinition?
    /// The platforms its tool runs on (all when the tool names none).
    var platforms: Set<OSFamily>
    /// The parameters it takes; for a workflow, those of its steps (first definition of a name wins).
    var parameters: [ParameterSpec]
    /// Parameters some step requires.
    var required: Set<String>
    var destructive: Bool
    /// Words of the action or workflow id (`safe-restart` → safe, restart).
    var idTerms: [String]
    /// Every describing word and how strongly it names this operation (id 1, name 0.9, … description 0.5).
    var vocabulary: [String: Double]
    /// Words of the tool's id without platform words (`windows-service` → service).
    var toolTerms: [String] = []
    /// Words of the action's or workflow's name.
    var nameTerms: [String] = []

    var id: String { action?.id ?? workflow?.id ?? "" }
    var reference: String { tool.id + "." + id }
    var name: String { action?.name ?? workflow?.name ?? id }

    /// The catalog's own validation for each step: the values must pass every step they reach.
    func validate(_ values: [String: String]) -> ParameterError? {
        let steps: [ActionDefinition] =
            action.map { [$0] } ?? (workflow?.steps.compactMap { tool.action($0.action) } ?? [])
        for step in steps {
            let given = values.filter { name, _ in step.parameters.contains { $0.name == name } }
            if case .failure(let error) = ParameterValidator.validate(given, against: step.parameters) { return error }
        }
        return nil
    }
}

/// The catalog prepared for planning: operations with their vocabulary, and parameter cue words.
/// Built once per catalog snapshot (see `PlannerIndexCache`).
struct CatalogIndex: Sendable {
    var operations: [CatalogOperation]
    /// Every word any operation knows, with the strongest way it names one (1 for ids … 0.5 for descriptions).
    var strongest: [String: Double]
    /// Words that name operations by id or name, and the lexicon's words: what typos are corrected to.
    var correctable: [String]
    /// Parameter names by the word sequences that introduce a value (`wait`, `source path`, `threshold`).
    var cues: [(words: [String], parameter: String)]
    /// Operations by their `tool.action` reference, typed as it is.
    var operationsByReference: [String: Int] = [:]
    /// Tool ids, typed as they are.
    var toolIDs: Set<String> = []
    /// Specs by parameter name (all tools), to check a cue's value.
    var specsByName: [String: [ParameterSpec]]

    private static let genericNameWords: Set<String> = [
        "name", "path", "dir", "seconds", "secs", "count", "id", "file",
    ]

    init(_ catalog: Catalog) {
        var operations = [CatalogOperation]()
        var specsByName = [String: [ParameterSpec]]()
        for tool in catalog.tools {
            let platforms = Set(tool.platforms.compactMap { OSFamily(parsing: $0) })
            var toolWords = [String: Double]()
            Self.add(Self.terms(tool.id), 1.0, to: &toolWords, skippingPlatforms: true)
            Self.add(Self.terms(tool.name), 0.8, to: &toolWords, skippingPlatforms: true)
            Self.add(Self.terms(tool.description), 0.5, to: &toolWords, skippingPlatforms: true)
            Self.add(Self.terms(tool.category), 0.5, to: &toolWords, skippingPlatforms: true)
            for action in tool.actions {
                // Tools often share a parameter (`unit`, `wait_seconds`): keep each distinct definition once.
                for spec in action.parameters where !(specsByName[spec.name] ?? []).contains(spec) {
                    specsByName[spec.name, default: []].append(spec)
                }
                var words = toolWords
                Self.add(Self.terms(action.id), 1.0, to: &words)
                Self.add(Self.terms(action.name), 0.9, to: &words)
                Self.add(Self.terms(action.description ?? ""), 0.5, to: &words)
                Self.add(action.parameters.flatMap { Self.terms($0.name) }, 0.7, to: &words)
                operations.append(
                    CatalogOperation(
                        tool: tool, action: action, workflow: nil,
                        platforms: platforms.isEmpty ? Set(OSFamily.allCases) : platforms,
                        parameters: action.parameters,
                        required: Set(action.parameters.filter(\.required).map(\.name)),
                        destructive: action.destructive,
                        idTerms: Self.terms(action.id), vocabulary: words))
            }
            for workflow in tool.workflows {
                let steps = workflow.steps.compactMap { tool.action($0.action) }
                var parameters = [ParameterSpec]()
                for spec in steps.flatMap(\.parameters) where !parameters.contains(where: { $0.name == spec.name }) {
                    parameters.append(spec)
                }
                var words = toolWords
                Self.add(Self.terms(workflow.id), 1.0, to: &words)
                Self.add(Self.terms(workflow.name), 0.9, to: &words)
                Self.add(Self.terms(workflow.description ?? ""), 0.5, to: &words)
                Self.add(steps.flatMap { Self.terms($0.id) }, 0.6, to: &words)
                Self.add(parameters.flatMap { Self.terms($0.name) }, 0.7, to: &words)
                operations.append(
                    CatalogOperation(
                        tool: tool, action: nil, workflow: workflow,
                        platforms: platforms.isEmpty ? Set(OSFamily.allCases) : platforms, parameters: parameters,
                        required: Set(steps.flatMap(\.parameters).filter(\.required).map(\.name)),
                        destructive: steps.contains(where: \.destructive), idTerms: Self.terms(workflow.id),
                        vocabulary: words))
            }
        }
        for index in operations.indices {
            operations[index].toolTerms = Self.terms(operations[index].tool.id).filter { Lexicon.platforms[$0] == nil }
            operations[index].nameTerms = Self.terms(operations[index].name)
        }
        self.operations = operations
        self.specsByName = specsByName
        for (index, operation) in operations.enumerated() {
            operationsByReference[RequestText.fold(operation.reference)] = index
            toolIDs.insert(RequestText.fold(operation.tool.id))
        }
        var strongest = [String: Double]()
        for operation in operations {
            for (word, strength) in operation.vocabulary where (strongest[word] ?? 0) < strength {
                strongest[word] = strength
            }
        }
        self.strongest = strongest
        self.correctable = Set(strongest.filter { $0.value >= 0.8 }.keys).union(Lexicon.synonyms.keys)
            .subtracting(Lexicon.abbreviations).sorted()
        var cues = [(words: [String], parameter: String)]()
        for name in specsByName.keys.sorted() {
            let words = name.split(separator: "_").map(String.init)
            cues.append((words, name))
            if words.count > 1 {
                cues.append(([words.joined()], name))
                for word in words where word.count >= 4 && !Self.genericNameWords.contains(word) {
                    if Lexicon.synonyms[word] == nil || word == words.last { cues.append(([word], name)) }
                }
            }
        }
        // Longest cues first, so `source path` wins over `source`.
        self.cues = cues.sorted { $0.words.count > $1.words.count }
    }

    /// Lower-cased words of an id, name or description, with their stems.
    static func terms(_ text: String) -> [String] {
        var result = [String]()
        var current = ""
        for character in RequestText.fold(text) {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    private static func add(
        _ terms: [String], _ strength: Double, to words: inout [String: Double], skippingPlatforms: Bool = false
    ) {
        for term in terms where !Lexicon.stopWords.contains(term) || strength >= 0.9 {
            if skippingPlatforms, Lexicon.platforms[term] != nil { continue }
            for stem in Lexicon.stems(term) where (words[stem] ?? 0) < strength { words[stem] = strength }
        }
    }
}
