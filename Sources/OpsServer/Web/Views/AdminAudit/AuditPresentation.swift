import Foundation

/// How an audit entry reads on a page: its details as `key: value` pairs instead of raw JSON, and the page of
/// the object it is about.
enum AuditPresentation {
    /// The details as pairs in key order; a text that is not a JSON object of strings stays one pair with no key.
    static func details(_ text: String?) -> [(key: String?, value: String)] {
        guard let text, !text.isEmpty else { return [] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            return [(nil, text)]
        }
        return object.keys.sorted().map { key in
            let value = object[key]
            switch value {
            case let string as String: return (key, string.isEmpty ? "—" : string)
            case let number as NSNumber: return (key, number.stringValue)
            case .some(let other):
                let data = try? JSONSerialization.data(
                    withJSONObject: other, options: [.sortedKeys, .fragmentsAllowed])
                return (key, data.map { String(decoding: $0, as: UTF8.self) } ?? "")
            case nil: return (key, "")
            }
        }
    }

    /// The page of the object an entry names (`target:web01`, `run:r-…`, `tool:system.ping`, …), or nil when it
    /// has none (a conversation is private to its owner; sign-in names may not be users).
    static func link(_ object: String?) -> String? {
        guard let object, let colon = object.firstIndex(of: ":") else { return nil }
        let kind = object[..<colon]
        let name = String(object[object.index(after: colon)...])
        guard !name.isEmpty else { return nil }
        var segment = CharacterSet.urlPathAllowed
        segment.remove(charactersIn: "/;?#")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: segment) ?? name
        switch kind {
        case "target": return SitePath.target(encoded)
        case "group": return SitePath.group(encoded)
        case "run": return SitePath.run(encoded)
        case "tool":
            let id = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
            return SitePath.tool(id.addingPercentEncoding(withAllowedCharacters: segment) ?? id)
        case "user": return SitePath.adminUsers
        case "token": return SitePath.adminTokens
        case "credential": return SitePath.credentials
        case "hostkey": return SitePath.knownHosts
        case "aws": return SitePath.aws
        default: return nil
        }
    }
}
