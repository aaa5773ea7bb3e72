import Foundation
import Vapor

/// The JSON body properties the document does not let be `null`. The generated decoders read an
/// optional property's `null` as "not given", so `{"disabled": null}` was accepted although the
/// schema says boolean: the document is the contract, so a `null` it does not allow is a 400
/// naming the field. Nested objects are followed through their declared `properties`.
struct NonNullFields: Sendable, Equatable {
    /// Property name → the rules of its own properties (empty for a value that is not an object).
    var fields: [String: NonNullFields] = [:]

    /// The rules of an object schema; `schemas` resolves `$ref`s to `#/components/schemas/…`.
    init(schema: [String: Any], schemas: [String: Any]) {
        let schema = Self.resolve(schema, schemas)
        // A oneOf body (one shape per kind) refuses null where its shapes do.
        let shapes =
            [schema]
            + ((schema["oneOf"] as? [Any] ?? []) + (schema["allOf"] as? [Any] ?? [])).map {
                Self.resolve($0 as? [String: Any] ?? [:], schemas)
            }
        for shape in shapes {
            for (name, value) in shape["properties"] as? [String: Any] ?? [:] {
                let property = Self.resolve(value as? [String: Any] ?? [:], schemas)
                guard !Self.allowsNull(property, schemas) else { continue }
                fields[name] = NonNullFields(schema: property, schemas: schemas)
            }
        }
    }

    init() {}

    /// Refuses the first `null` the document does not allow; a body that is not a JSON object is left
    /// to the generated decoder.
    func check(_ body: Data) throws {
        guard let object = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else { return }
        try check(object, path: "")
    }

    private func check(_ value: Any, path: String) throws {
        guard let object = value as? [String: Any] else { return }
        for (name, value) in object {
            guard let rules = fields[name] else { continue }
            if value is NSNull { throw Abort(.badRequest, reason: "\(path)\(name): must not be null") }
            try rules.check(value, path: "\(path)\(name).")
        }
    }

    private static func resolve(_ schema: [String: Any], _ schemas: [String: Any]) -> [String: Any] {
        guard let reference = schema["$ref"] as? String, let name = reference.split(separator: "/").last else {
            return schema
        }
        return schemas[String(name)] as? [String: Any] ?? [:]
    }

    /// `type: [T, "null"]`, `type: "null"`, an enum with null, or a oneOf/anyOf branch that allows it.
    private static func allowsNull(_ schema: [String: Any], _ schemas: [String: Any]) -> Bool {
        if let type = schema["type"] as? String, type == "null" { return true }
        if let types = schema["type"] as? [Any], types.contains(where: { $0 as? String == "null" }) { return true }
        if let values = schema["enum"] as? [Any], values.contains(where: { $0 is NSNull }) { return true }
        if schema["nullable"] as? Bool == true { return true }
        let branches = (schema["oneOf"] as? [Any] ?? []) + (schema["anyOf"] as? [Any] ?? [])
        return branches.contains { allowsNull(resolve($0 as? [String: Any] ?? [:], schemas), schemas) }
    }
}
