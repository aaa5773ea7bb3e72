import Foundation
import OpsCore
import Vapor
import Yams

/// What openapi.yaml says about each operation beyond its shapes: the role it needs
/// (`x-pcm-role`) and the largest body it takes (`x-pcm-max-body`, bytes). The generated routes
/// get their guards from here, so the document is the one place a role is decided.
struct APIOperations: Sendable {
    struct Operation: Sendable, Equatable {
        var id: String
        var method: String
        var path: String
        var role: Role
        var maxBodySize: Int
        var query: [QueryParameter] = []
        /// The JSON body's properties that may not be `null`.
        var nonNull = NonNullFields()
    }

    /// A query parameter's type as the document gives it.
    struct QueryParameter: Sendable, Equatable {
        enum Kind: Sendable, Equatable {
            /// With the document's `pattern` (ECMA-262, as JSON Schema) and length bounds in code points.
            case string(pattern: String? = nil, minLength: Int? = nil, maxLength: Int? = nil)
            case boolean
            case integer(minimum: Int?, maximum: Int?)
            case oneOf([String])
        }

        var name: String
        var kind: Kind

        /// Refuses a value the generated decoder would refuse, naming this parameter.
        func check(_ value: String) throws {
            func refuse(_ expected: String) -> Abort {
                Abort(.badRequest, reason: "\(name): must be \(expected), got '\(value.prefix(100))'")
            }
            switch kind {
            case .string(let pattern, let minLength, let maxLength):
                let length = value.unicodeScalars.count
                if let minLength, length < minLength { throw refuse("at least \(minLength) characters") }
                if let maxLength, length > maxLength { throw refuse("at most \(maxLength) characters") }
                if let pattern, !Self.value(value, matches: pattern) { throw refuse("a value matching \(pattern)") }
            case .boolean:
                guard value == "true" || value == "false" else { throw refuse("true or false") }
            case .integer(let minimum, let maximum):
                guard let number = Int(value) else { throw refuse("a whole number") }
                if let minimum, number < minimum { throw refuse("\(minimum) or more") }
                if let maximum, number > maximum { throw refuse("\(maximum) or less") }
            case .oneOf(let values):
                guard values.contains(value) else { throw refuse("one of \(values.joined(separator: ", "))") }
            }
        }

        /// JSON Schema's `pattern`: the value matches somewhere (the document anchors its patterns). A
        /// pattern the regex engine cannot read refuses nothing; the document's tests compile every one.
        static func value(_ value: String, matches pattern: String) -> Bool {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { return true }
            return regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
        }
    }

    static let defaultMaxBodySize = 2 << 20

    /// By `"METHOD /path/{param}"`.
    let byRoute: [String: Operation]
    /// The WebSocket endpoint documented as `x-websocket` on a path item.
    let webSockets: [Operation]

    init(yaml: String) throws {
        let document = try Self.document(yaml: yaml)
        guard let paths = document["paths"] as? [String: Any] else {
            throw Abort(.internalServerError, reason: "openapi.yaml has no paths")
        }
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        var byRoute = [String: Operation]()
        var webSockets = [Operation]()
        for (path, item) in paths {
            guard let item = item as? [String: Any] else { continue }
            for method in ["get", "post", "put", "patch", "delete"] {
                guard let operation = item[method] as? [String: Any] else { continue }
                var parsed = try Self.operation(operation, method: method.uppercased(), path: path)
                if let body = operation["requestBody"] as? [String: Any],
                    let json = (body["content"] as? [String: Any])?["application/json"] as? [String: Any],
                    let schema = json["schema"] as? [String: Any]
                {
                    parsed.nonNull = NonNullFields(schema: schema, schemas: schemas)
                }
                let shared = item["parameters"] as? [[String: Any]] ?? []
                parsed.query = (shared + (operation["parameters"] as? [[String: Any]] ?? [])).compactMap {
                    Self.queryParameter($0, schemas: schemas)
                }
                byRoute[Self.key(parsed.method, parsed.path)] = parsed
            }
            if let socket = item["x-websocket"] as? [String: Any], let socketPath = socket["path"] as? String {
                webSockets.append(try Self.operation(socket, method: "GET", path: socketPath))
            }
        }
        self.byRoute = byRoute
        self.webSockets = webSockets
    }

    /// The document bundled with the server.
    static func bundled() throws -> APIOperations {
        try APIOperations(yaml: bundledText())
    }

    /// The text of the document bundled with the server.
    static func bundledText() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw Abort(.internalServerError, reason: "openapi.yaml is missing from the bundle")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The document as nested dictionaries and arrays.
    static func document(yaml: String) throws -> [String: Any] {
        guard let document = try Yams.load(yaml: yaml) as? [String: Any] else {
            throw Abort(.internalServerError, reason: "openapi.yaml is not a YAML mapping")
        }
        return document
    }

    /// The operation a registered route serves; nil for a route the document does not name.
    func operation(method: HTTPMethod, path: [PathComponent]) -> Operation? {
        let template =
            "/"
            + path.map { component in
                if case .parameter(let name) = component { return "{\(name)}" }
                return component.description
            }.joined(separator: "/")
        return byRoute[Self.key(method.rawValue, template)]
    }

    static func key(_ method: String, _ path: String) -> String { "\(method) \(path)" }

    private static func queryParameter(_ parameter: [String: Any], schemas: [String: Any]) -> QueryParameter? {
        guard parameter["in"] as? String == "query", let name = parameter["name"] as? String else { return nil }
        var schema = parameter["schema"] as? [String: Any] ?? [:]
        if let reference = schema["$ref"] as? String, let name = reference.split(separator: "/").last {
            schema = schemas[String(name)] as? [String: Any] ?? [:]
        }
        if let values = schema["enum"] as? [Any] {
            return QueryParameter(name: name, kind: .oneOf(values.map { "\($0)" }))
        }
        switch schema["type"] as? String {
        case "boolean": return QueryParameter(name: name, kind: .boolean)
        case "integer":
            return QueryParameter(
                name: name, kind: .integer(minimum: schema["minimum"] as? Int, maximum: schema["maximum"] as? Int))
        default:
            return QueryParameter(
                name: name,
                kind: .string(
                    pattern: schema["pattern"] as? String, minLength: schema["minLength"] as? Int,
                    maxLength: schema["maxLength"] as? Int))
        }
    }

    private static func operation(_ operation: [String: Any], method: String, path: String) throws -> Operation {
        let id = operation["operationId"] as? String ?? "\(method) \(path)"
        guard let roleName = operation["x-pcm-role"] as? String, let role = Role(rawValue: roleName) else {
            throw Abort(.internalServerError, reason: "openapi.yaml: \(id) has no valid x-pcm-role")
        }
        let maxBody = operation["x-pcm-max-body"] as? Int ?? defaultMaxBodySize
        return Operation(id: id, method: method, path: path, role: role, maxBodySize: maxBody)
    }
}

/// Registers the generated routes with the guard their operation names in the document: the role
/// (recorded on the route, as ``RoleRoutes`` does), the body limit and the request context. A
/// route the document does not name needs admin (fail closed).
struct APIOperationRoutes: RoutesBuilder {
    let base: any RoutesBuilder
    let operations: APIOperations

    func add(_ route: Route) {
        let operation = operations.operation(method: route.method, path: route.path)
        let role = operation?.role ?? .admin
        route.userInfo[RoleRoutes.key] = role
        let guarded = base.grouped(
            RequireRole(role: role),
            APIContextMiddleware(
                maxBodySize: operation?.maxBodySize ?? APIOperations.defaultMaxBodySize, query: operation?.query ?? [],
                nonNull: operation?.nonNull ?? NonNullFields()))
        guarded.add(route)
    }
}
