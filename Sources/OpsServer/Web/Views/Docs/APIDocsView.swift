import Foundation
import Plot
import Yams

/// `/docs`: the REST API as a readable page, rendered from the same `openapi.yaml` served at
/// `/openapi.yaml`, so the two cannot disagree.
enum APIDocsView {
    struct Operation {
        var method: String
        var path: String
        var summary: String
        var description: String
        var tag: String
        var parameters: [(name: String, location: String, required: Bool, about: String)]
        var body: String?
        var responses: [(code: String, about: String)]
        /// The least role that may call it (`x-pcm-role`).
        var role: String
        var webSocket = false
    }

    static func operations(from yaml: String) throws -> (
        title: String, intro: String, operations: [Operation], schemas: [String]
    ) {
        guard let root = try Yams.load(yaml: yaml) as? [String: Any] else { return ("API", "", [], []) }
        let info = root["info"] as? [String: Any] ?? [:]
        var result = [Operation]()
        let paths = root["paths"] as? [String: Any] ?? [:]
        for path in paths.keys.sorted() {
            guard let methods = paths[path] as? [String: Any] else { continue }
            for method in ["get", "post", "put", "patch", "delete"] {
                guard let operation = methods[method] as? [String: Any] else { continue }
                let parameters = (operation["parameters"] as? [[String: Any]] ?? []).map { parameter in
                    let schema = parameter["schema"] as? [String: Any] ?? [:]
                    let type =
                        (schema["type"] as? String) ?? (schema["$ref"] as? String).map {
                            String($0.split(separator: "/").last ?? "")
                        } ?? ""
                    return (
                        name: parameter["name"] as? String ?? "", location: parameter["in"] as? String ?? "",
                        required: parameter["required"] as? Bool ?? false,
                        about: [type, parameter["description"] as? String ?? ""].filter { !$0.isEmpty }.joined(
                            separator: " — ")
                    )
                }
                var body: String?
                if let request = operation["requestBody"] as? [String: Any],
                    let content = request["content"] as? [String: Any], let (type, media) = content.first,
                    let schema = (media as? [String: Any])?["schema"] as? [String: Any]
                {
                    body =
                        "\(type): "
                        + ((schema["$ref"] as? String).map { String($0.split(separator: "/").last ?? "") } ?? "object")
                }
                let responses = (operation["responses"] as? [String: Any] ?? [:]).keys.sorted().map { code in
                    let response = (operation["responses"] as? [String: Any])?[code] as? [String: Any] ?? [:]
                    let about =
                        response["description"] as? String
                        ?? ((response["$ref"] as? String).map { _ in "problem+json" } ?? "")
                    return (code: code, about: about)
                }
                result.append(
                    Operation(
                        method: method.uppercased(), path: path, summary: operation["summary"] as? String ?? "",
                        description: operation["description"] as? String ?? "",
                        tag: (operation["tags"] as? [String])?.first ?? "other", parameters: parameters, body: body,
                        responses: responses, role: operation["x-pcm-role"] as? String ?? "admin"))
            }
            if let socket = methods["x-websocket"] as? [String: Any], let socketPath = socket["path"] as? String {
                let tag = result.last { $0.path == path }?.tag ?? "other"
                result.append(
                    Operation(
                        method: "GET", path: socketPath, summary: socket["summary"] as? String ?? "",
                        description: socket["description"] as? String ?? "", tag: tag,
                        parameters: [(name: "after", location: "query", required: false, about: "integer")],
                        body: nil,
                        responses: [(code: "101", about: "Switching Protocols"), (code: "4xx", about: "problem+json")],
                        role: socket["x-pcm-role"] as? String ?? "admin", webSocket: true))
            }
        }
        let schemas = ((root["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]).keys.sorted()
        return (info["title"] as? String ?? "API", info["description"] as? String ?? "", result, schemas)
    }

    static func render(yaml: String, context: PageContext) throws -> HTML {
        let (title, intro, operations, schemas) = try operations(from: yaml)
        let tags = Array(Set(operations.map(\.tag))).sorted()
        return Layout.page(
            title: "API", context: context,
            content: .group(
                .div(
                    .class("page-head"), .h1(.text(title)),
                    .a(.class("button"), .href("/openapi.yaml"), .text("openapi.yaml"))),
                .p(.text(intro)),
                .ul(
                    .class("toc"), .forEach(tags) { tag in .li(.a(.attribute(.href, "#tag-\(tag)"), .text(tag))) }),
                .forEach(tags) { tag in
                    .group(
                        .h2(.attribute(.id, "tag-\(tag)"), .text(tag)),
                        .forEach(operations.filter { $0.tag == tag }) { operation($0) })
                },
                .h2("Schemas"),
                .p(.class("muted"), .text(schemas.joined(separator: ", ")))
            ))
    }

    private static func operation(_ operation: Operation) -> Plot.Node<HTML.BodyContext> {
        .div(
            .class("card api-op"),
            .h3(
                .span(.attribute(.class, "badge method-\(operation.method.lowercased())"), .text(operation.method)),
                .text(" "),
                .code(.text(operation.path)),
                .if(operation.webSocket, .span(.class("badge"), .text("WebSocket")))),
            .p(.text(operation.summary), .span(.class("muted"), .text(" — role: \(operation.role)"))),
            .if(!operation.description.isEmpty, .p(.class("muted"), .text(operation.description))),
            .if(
                !operation.parameters.isEmpty,
                .div(
                    .class("table-wrap api-params"),
                    .table(
                        .thead(.tr(.th("Parameter"), .th("In"), .th("Required"), .th("About"))),
                        .tbody(
                            .forEach(operation.parameters) { parameter in
                                .tr(
                                    .td(.code(.text(parameter.name))), .td(.text(parameter.location)),
                                    .td(.text(parameter.required ? "yes" : "")), .td(.text(parameter.about)))
                            })))),
            .unwrap(operation.body) { .p(.text("Body: "), .code(.text($0))) },
            .p(
                .class("muted"),
                .text("Responses: " + operation.responses.map { "\($0.code) \($0.about)" }.joined(separator: " · ")))
        )
    }
}
