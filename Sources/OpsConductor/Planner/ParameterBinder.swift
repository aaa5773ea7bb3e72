import OpsCore

/// Gives a request's values to one operation's parameters, and checks them with the catalog's validator.
///
/// Named values go to their parameter; a percentage to a threshold-like integer; paths to path parameters
/// (`from` → source, `to` → target, `backup` → backup); other values to the first string parameter whose
/// pattern accepts them, required ones first. A value is never changed, split or guessed at: a value that
/// fits nowhere becomes a question about the parameter it was meant for.
struct ParameterBinder {
    struct Bound: Sendable {
        var values: [String: String] = [:]
        /// Values given but refused by the validator, with its message.
        var invalid: [(spec: ParameterSpec, value: String, message: String)] = []
        var missing: [ParameterSpec] = []
        /// A second value joined by "and" to one already given to the parameter: one at a time.
        var extra: (spec: ParameterSpec, values: [String])?
        /// Free values used (or refused) here.
        var used: [RequestAnalysis.FreeValue] = []
        var refused: [RequestAnalysis.FreeValue] = []
    }

    let operation: CatalogOperation

    private static let cueFamilies: [String: [String]] = [
        "from": ["source", "src", "from"], "source": ["source", "src"], "src": ["source", "src"],
        "to": ["target", "dest", "destination"], "target": ["target", "dest"], "dest": ["dest", "target"],
        "destination": ["dest", "target"], "into": ["target", "dest"], "over": ["target", "dest"],
        "backup": ["backup"], "backups": ["backup"],
    ]

    func bind(_ frame: PlanFrame) -> Bound {
        var bound = Bound()
        let specs = operation.parameters
        var free = frame.free
        for (name, value) in frame.named.sorted(by: { $0.key < $1.key }) {
            if specs.contains(where: { $0.name == name }) {
                bound.values[name] = value
            } else {
                free.insert(.init(kind: .word, value: value, cue: nil), at: 0)
            }
        }
        if let percent = frame.percent,
            let spec = specs.first(where: { spec in
                spec.type == .int && bound.values[spec.name] == nil
                    && (spec.name.contains("threshold") || spec.name.contains("percent")
                        || (spec.help ?? "").lowercased().contains("percent"))
            })
        {
            bound.values[spec.name] = percent
        }
        var lastBound: ParameterSpec?
        for value in free {
            if value.joined == true, let spec = lastBound, let first = bound.values[spec.name] {
                bound.extra = (spec, [first, value.value])
                continue
            }
            lastBound = nil
            let candidates = specs.filter { spec in
                bound.values[spec.name] == nil && (spec.type == .string || spec.type == .enum) && !spec.secret
                    && isPath(spec) == (value.kind == .path)
            }.sorted { $0.required && !$1.required }
            let preferred =
                value.cue.flatMap { Self.cueFamilies[$0] }.map { family in
                    candidates.filter { spec in family.contains(where: spec.name.contains) }
                } ?? []
            let fitting = (preferred + candidates).first { accepts($0, value.value) }
            if let spec = fitting {
                bound.values[spec.name] = canonical(value.value, for: spec)
                bound.used.append(value)
                lastBound = spec
            } else if value.kind != .word, let spec = preferred.first ?? candidates.first {
                // Quoted text or a path meant as a value: the validator's message becomes the question.
                bound.values[spec.name] = value.value
                bound.refused.append(value)
            }
        }
        for spec in specs {
            if let given = bound.values[spec.name] {
                let value = canonical(given, for: spec)
                bound.values[spec.name] = value
                if case .failure(let error) = ParameterValidator.check(value, against: spec) {
                    bound.invalid.append((spec, value, error.message))
                    bound.values[spec.name] = nil
                } else if case .success(let normalised) = ParameterValidator.check(value, against: spec),
                    spec.type != .string
                {
                    bound.values[spec.name] = normalised
                }
            } else if operation.required.contains(spec.name) {
                bound.missing.append(spec)
            }
        }
        if bound.invalid.isEmpty, bound.missing.isEmpty, let error = operation.validate(bound.values) {
            if let spec = specs.first(where: { $0.name == error.parameter }) {
                bound.invalid.append((spec, bound.values[spec.name] ?? "", error.message))
            }
        }
        return bound
    }

    private func isPath(_ spec: ParameterSpec) -> Bool {
        let name = spec.name
        return name.hasSuffix("path") || name.hasSuffix("dir") || name.hasSuffix("folder") || name.hasSuffix("file")
            || (spec.pattern ?? "").contains(#"[A-Za-z]:"#)
    }

    private func accepts(_ spec: ParameterSpec, _ value: String) -> Bool {
        // "ignoring" is no value for `ignore`.
        let nameWords = spec.name.split(separator: "_").map(String.init)
        if Lexicon.stems(value.lowercased()).contains(where: nameWords.contains) { return false }
        // A version is never a bare word ("install zsh and git": git is no version).
        if spec.name.contains("version"), !value.contains(where: \.isNumber) { return false }
        if case .success = ParameterValidator.check(canonical(value, for: spec), against: spec) { return true }
        return false
    }

    /// The default's or enum value's spelling when the value is one of them typed in another case.
    private func canonical(_ value: String, for spec: ParameterSpec) -> String {
        let lowered = value.lowercased()
        if let match = spec.values.first(where: { $0.lowercased() == lowered }) { return match }
        if let fallback = spec.defaultValue, fallback.lowercased() == lowered { return fallback }
        return value
    }
}
