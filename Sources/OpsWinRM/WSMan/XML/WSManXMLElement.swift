/// One XML element with its namespaces resolved: what the WS-Management layer reads answers from. Names are
/// compared as (namespace URI, local name), so the prefixes a server picks (`s:`, `env:`, `a:`, `wsa:`) never
/// matter.
struct WSManXMLElement: Sendable, Equatable {
    /// The namespace URI the element's prefix (or the default namespace) resolved to; nil for none.
    var namespace: String?
    /// The local name, without any prefix.
    var name: String
    /// Attributes other than namespace declarations, in document order.
    var attributes: [WSManXMLAttribute]
    /// Child elements in document order.
    var children: [WSManXMLElement]
    /// The character data directly inside this element (entities and CDATA resolved), concatenated.
    var text: String

    init(
        namespace: String?, name: String, attributes: [WSManXMLAttribute] = [], children: [WSManXMLElement] = [],
        text: String = ""
    ) {
        self.namespace = namespace
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child with this namespace and local name.
    func child(_ namespace: String, _ name: String) -> WSManXMLElement? {
        children.first { $0.namespace == namespace && $0.name == name }
    }

    /// Every child with this namespace and local name, in order.
    func children(_ namespace: String, _ name: String) -> [WSManXMLElement] {
        children.filter { $0.namespace == namespace && $0.name == name }
    }

    /// The value of the attribute with this local name and no namespace (how WS-Management writes `Name`,
    /// `CommandId`, `Code`, …), or of a namespaced one when `namespace` is given.
    func attribute(_ name: String, namespace: String? = nil) -> String? {
        attributes.first { $0.name == name && $0.namespace == namespace }?.value
    }

    /// The text of this element, then that of each child (depth first): all the text below it, though text
    /// around children is not interleaved with theirs (fault messages have one text or one child).
    var allText: String {
        children.reduce(text) { $0 + $1.allText }
    }

    /// The first element at any depth below this one with this namespace and local name, depth first.
    func firstDescendant(_ namespace: String, _ name: String) -> WSManXMLElement? {
        for child in children {
            if child.namespace == namespace && child.name == name { return child }
            if let found = child.firstDescendant(namespace, name) { return found }
        }
        return nil
    }
}

/// One attribute with its namespace resolved (nil for an unprefixed attribute, as XML Namespaces §6.2 says).
struct WSManXMLAttribute: Sendable, Equatable {
    var namespace: String?
    var name: String
    var value: String
}

/// Namespace URIs of WS-Management and WinRS (MS-WSMV 2.2.1).
enum XMLNamespace {
    static let soap = "http://www.w3.org/2003/05/soap-envelope"
    static let addressing = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
    static let transfer = "http://schemas.xmlsoap.org/ws/2004/09/transfer"
    static let wsman = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
    static let wsmv = "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"
    static let shell = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
    static let wsmanFault = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault"
    static let xml = "http://www.w3.org/XML/1998/namespace"
}
