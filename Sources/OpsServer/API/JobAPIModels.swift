import Foundation
import OpsCore
import Vapor

/// A JSON object whose keys must all be known: a misspelt `paramters` must not save or run with defaults.
struct StrictObject {
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func refuseUnknown(_ decoder: any Decoder, fields: Set<String>) throws {
        let keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        if let unknown = keys.sorted().first(where: { !fields.contains($0) }) {
            throw JobError.invalid(
                field: unknown, message: "unknown field; fields: \(fields.sorted().joined(separator: ", "))")
        }
    }

    /// Parameter values as text: strings, whole numbers and booleans, as a run takes them.
    static func parameters<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K) throws -> [String: String]? {
        guard let raw = try container.decodeIfPresent([String: JSONValue].self, forKey: key) else { return nil }
        var result = [String: String]()
        for (name, value) in raw {
            switch value {
            case .string(let text): result[name] = text
            case .int(let number): result[name] = String(number)
            case .bool(let flag): result[name] = String(flag)
            default:
                throw JobError.invalid(field: "parameters.\(name)", message: "must be a string, number or boolean")
            }
        }
        return result
    }

    /// `50`, `"50"` or `"10%"`.
    static func limit<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K) throws -> String? {
        if let number = try? container.decodeIfPresent(Int.self, forKey: key) { return String(number) }
        if let text = try? container.decodeIfPresent(String.self, forKey: key) { return text }
        guard !container.contains(key) else {
            throw JobError.invalid(field: key.stringValue, message: "must be a number or a string like \"10%\"")
        }
        return nil
    }

    static func overridable<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K) throws -> Set<JobOverride>?
    {
        guard let names = try container.decodeIfPresent([String].self, forKey: key) else { return nil }
        return Set(
            try names.map { name in
                guard let value = JobOverride(rawValue: name) else {
                    throw JobError.invalid(
                        field: "overridable",
                        message:
                            "'\(name)' is not one of \(JobOverride.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return value
            })
    }
}

/// The body of `POST /api/v1/jobs`.
struct JobCreateBody: Decodable, Hashable, Sendable {
    var spec: JobSpec

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, tool, action, workflow, parameters, targets, groups, selector, overridable
        case maxConcurrency = "max_concurrency"
        case maxErrors = "max_errors"
    }

    init(from decoder: any Decoder) throws {
        try StrictObject.refuseUnknown(decoder, fields: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        spec = JobSpec(
            name: try container.decode(String.self, forKey: .name),
            tool: try container.decode(String.self, forKey: .tool),
            action: try container.decodeIfPresent(String.self, forKey: .action),
            workflow: try container.decodeIfPresent(String.self, forKey: .workflow))
        spec.description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        spec.parameters = try StrictObject.parameters(container, .parameters) ?? [:]
        spec.targets = try container.decodeIfPresent([String].self, forKey: .targets) ?? []
        spec.groups = try container.decodeIfPresent([String].self, forKey: .groups) ?? []
        spec.selector = try container.decodeIfPresent(String.self, forKey: .selector)
        spec.maxConcurrency = try StrictObject.limit(container, .maxConcurrency)
        spec.maxErrors = try StrictObject.limit(container, .maxErrors)
        spec.overridable = try StrictObject.overridable(container, .overridable) ?? []
    }
}

/// The body of `PATCH /api/v1/jobs/{name}`: what it gives replaces, the rest stays.
struct JobPatchBody: Decodable, Hashable, Sendable {
    var patch: JobPatch

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, tool, action, workflow, parameters, targets, groups, selector, overridable, owner
        case version
        case maxConcurrency = "max_concurrency"
        case maxErrors = "max_errors"
    }

    init(from decoder: any Decoder) throws {
        try StrictObject.refuseUnknown(decoder, fields: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        patch = JobPatch()
        patch.name = try container.decodeIfPresent(String.self, forKey: .name)
        patch.description = try container.decodeIfPresent(String.self, forKey: .description)
        patch.tool = try container.decodeIfPresent(String.self, forKey: .tool)
        patch.action = try container.decodeIfPresent(String.self, forKey: .action)
        patch.workflow = try container.decodeIfPresent(String.self, forKey: .workflow)
        patch.parameters = try StrictObject.parameters(container, .parameters)
        patch.targets = try container.decodeIfPresent([String].self, forKey: .targets)
        patch.groups = try container.decodeIfPresent([String].self, forKey: .groups)
        patch.selector = try container.decodeIfPresent(String.self, forKey: .selector)
        patch.maxConcurrency = try StrictObject.limit(container, .maxConcurrency)
        patch.maxErrors = try StrictObject.limit(container, .maxErrors)
        patch.overridable = try StrictObject.overridable(container, .overridable)
        patch.owner = try container.decodeIfPresent(String.self, forKey: .owner)
        patch.version = try container.decodeIfPresent(Int.self, forKey: .version)
    }
}

/// The body of `POST /api/v1/jobs/{name}/run` (optional): what the runner gives, where the job allows it.
struct JobRunBody: Decodable, Hashable, Sendable {
    var overrides: JobRunOverrides

    enum CodingKeys: String, CodingKey, CaseIterable {
        case parameters, targets, groups, selector, confirm
        case maxConcurrency = "max_concurrency"
        case maxErrors = "max_errors"
        case dryRun = "dry_run"
    }

    init(from decoder: any Decoder) throws {
        try StrictObject.refuseUnknown(decoder, fields: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        overrides = JobRunOverrides()
        overrides.parameters = try StrictObject.parameters(container, .parameters) ?? [:]
        overrides.targets = try container.decodeIfPresent([String].self, forKey: .targets)
        overrides.groups = try container.decodeIfPresent([String].self, forKey: .groups)
        overrides.selector = try container.decodeIfPresent(String.self, forKey: .selector)
        overrides.maxConcurrency = try StrictObject.limit(container, .maxConcurrency)
        overrides.maxErrors = try StrictObject.limit(container, .maxErrors)
        overrides.confirm = try container.decodeIfPresent(Bool.self, forKey: .confirm) ?? false
        overrides.dryRun = try container.decodeIfPresent(Bool.self, forKey: .dryRun) ?? false
    }
}

extension JobDTO: Content {}
