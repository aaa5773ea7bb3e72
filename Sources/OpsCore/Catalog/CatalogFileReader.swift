import Foundation
import Yams

/// Reads typed fields out of a composed YAML document, collecting every problem with its line.
struct CatalogFileReader {
    let file: String
    var errors: [CatalogError] = []

    init(file: String) {
        self.file = file
    }

    mutating func fail(_ node: Node?, _ field: String?, _ message: String) {
        errors.append(CatalogError(file: file, line: node?.mark.map { $0.line }, field: field, message: message))
    }

    /// Reports keys of `mapping` that are not in `allowed` (a misspelt key is an error, not silence).
    mutating func checkKeys(_ mapping: Node.Mapping, allowed: Set<String>, path: String) {
        for (key, _) in mapping {
            guard let name = key.string, allowed.contains(name) else {
                fail(
                    key, join(path, key.string ?? "?"),
                    "unknown field; expected one of \(allowed.sorted().joined(separator: ", "))")
                continue
            }
        }
    }

    mutating func string(_ mapping: Node.Mapping, _ key: String, path: String, required: Bool = false) -> String? {
        guard let node = mapping[key] else {
            if required { fail(nil, join(path, key), "is required") }
            return nil
        }
        guard case .scalar(let scalar) = node else {
            fail(node, join(path, key), "must be a text value")
            return nil
        }
        return scalar.string
    }

    mutating func int(_ mapping: Node.Mapping, _ key: String, path: String) -> Int? {
        guard let node = mapping[key] else { return nil }
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            fail(node, join(path, key), "must be a whole number")
            return nil
        }
        return value
    }

    mutating func bool(_ mapping: Node.Mapping, _ key: String, path: String) -> Bool? {
        guard let node = mapping[key] else { return nil }
        guard case .scalar(let scalar) = node,
            let value = ["true": true, "false": false, "yes": true, "no": false][scalar.string.lowercased()]
        else {
            fail(node, join(path, key), "must be true or false")
            return nil
        }
        return value
    }

    mutating func stringList(_ mapping: Node.Mapping, _ key: String, path: String) -> [String]? {
        guard let node = mapping[key] else { return nil }
        guard case .sequence(let sequence) = node else {
            fail(node, join(path, key), "must be a list")
            return nil
        }
        var result = [String]()
        for item in sequence {
            guard case .scalar(let scalar) = item else {
                fail(item, join(path, key), "items must be text values")
                continue
            }
            result.append(scalar.string)
        }
        return result
    }

    mutating func mappings(_ mapping: Node.Mapping, _ key: String, path: String) -> [(Node, Node.Mapping)] {
        guard let node = mapping[key] else { return [] }
        guard case .sequence(let sequence) = node else {
            fail(node, join(path, key), "must be a list")
            return []
        }
        var result = [(Node, Node.Mapping)]()
        for item in sequence {
            guard case .mapping(let itemMapping) = item else {
                fail(item, join(path, key), "items must be mappings")
                continue
            }
            result.append((item, itemMapping))
        }
        return result
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
