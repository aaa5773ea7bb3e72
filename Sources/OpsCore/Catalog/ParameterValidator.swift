import Foundation

/// A parameter value that failed validation, naming the parameter.
public struct ParameterError: Error, Equatable, Sendable, CustomStringConvertible {
    public var parameter: String
    public var message: String

    public init(parameter: String, message: String) {
        self.parameter = parameter
        self.message = message
    }

    public var description: String { "parameter '\(parameter)': \(message)" }
}

/// Checks given values against an action's parameters before anything runs.
public enum ParameterValidator {
    /// Longest value accepted when a parameter sets no max_length.
    public static let defaultMaxLength = 128 * 1024

    /// The values to run with: every given value checked, defaults filled in, required ones present.
    /// Unknown names are refused (a typo must not silently fall back to a default).
    public static func validate(
        _ given: [String: String], against specs: [ParameterSpec]
    ) -> Result<[String: String], ParameterError> {
        for name in given.keys.sorted() where !specs.contains(where: { $0.name == name }) {
            let known = specs.map(\.name).joined(separator: ", ")
            return .failure(
                ParameterError(
                    parameter: name, message: "unknown parameter; this action takes: \(known.isEmpty ? "none" : known)")
            )
        }
        var result = [String: String]()
        for spec in specs {
            guard let value = given[spec.name] ?? spec.defaultValue else {
                if spec.required {
                    return .failure(ParameterError(parameter: spec.name, message: "is required"))
                }
                continue
            }
            switch check(value, against: spec) {
            case .success(let normalised): result[spec.name] = normalised
            case .failure(let error): return .failure(error)
            }
        }
        return .success(result)
    }

    /// One value; returns it normalised (`true`/`false` for bools, canonical integers).
    public static func check(_ value: String, against spec: ParameterSpec) -> Result<String, ParameterError> {
        func fail(_ message: String) -> Result<String, ParameterError> {
            .failure(ParameterError(parameter: spec.name, message: message))
        }
        // A NUL byte cannot reach a script intact (C strings end there): refuse rather than truncate.
        guard !value.unicodeScalars.contains("\0") else { return fail("must not contain a NUL byte") }
        switch spec.type {
        case .string:
            let limit = spec.maxLength ?? defaultMaxLength
            guard value.count <= limit else { return fail("longer than \(limit) characters") }
            if let pattern = spec.pattern {
                guard let regex = try? Regex(pattern), (try? regex.wholeMatch(in: value)) != nil else {
                    return fail(
                        spec.secret
                            ? "does not match the required pattern" : "'\(value.prefix(80))' does not match \(pattern)")
                }
            }
            return .success(value)
        case .int:
            guard let number = Int(value.trimmingCharacters(in: .whitespaces)) else {
                return fail("must be a whole number, got '\(value.prefix(40))'")
            }
            if let min = spec.min, number < min { return fail("must be at least \(min), got \(number)") }
            if let max = spec.max, number > max { return fail("must be at most \(max), got \(number)") }
            return .success(String(number))
        case .bool:
            switch value.lowercased() {
            case "true", "yes", "1", "on": return .success("true")
            case "false", "no", "0", "off": return .success("false")
            default: return fail("must be true or false, got '\(value.prefix(40))'")
            }
        case .enum:
            guard spec.values.contains(value) else {
                return fail("must be one of \(spec.values.joined(separator: ", ")), got '\(value.prefix(40))'")
            }
            return .success(value)
        }
    }
}
