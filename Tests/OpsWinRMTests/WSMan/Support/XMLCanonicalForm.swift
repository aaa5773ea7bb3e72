@testable import OpsWinRM

/// A canonical text of an envelope, for comparing requests whatever their prefixes, namespace declarations,
/// attribute order, header order and whitespace: one line per element, `{namespace}name`, attributes sorted
/// by expanded name, text trimmed. Header children (whose order SOAP leaves free) are sorted; body order is
/// kept, since it is part of the message.
enum XMLCanonicalForm {
    static func render(_ element: WSManXMLElement) -> String {
        lines(element, depth: 0, sortChildren: false).joined(separator: "\n")
    }

    private static func lines(_ element: WSManXMLElement, depth: Int, sortChildren: Bool) -> [String] {
        let attributes = element.attributes
            .map { "\(expanded($0.namespace, $0.name))=\"\($0.value)\"" }
            .sorted()
        var head = String(repeating: "  ", count: depth) + expanded(element.namespace, element.name)
        if !attributes.isEmpty { head += " " + attributes.joined(separator: " ") }
        let text = WSManText.trimmed(element.text)
        if !text.isEmpty { head += " = \"\(text)\"" }
        let isHeader = element.namespace == XMLNamespace.soap && element.name == "Header"
        var children = element.children.map { lines($0, depth: depth + 1, sortChildren: false) }
        if isHeader || sortChildren {
            children.sort { $0.joined(separator: "\n") < $1.joined(separator: "\n") }
        }
        return [head] + children.flatMap { $0 }
    }

    private static func expanded(_ namespace: String?, _ name: String) -> String {
        namespace.map { "{\($0)}\(name)" } ?? name
    }
}
