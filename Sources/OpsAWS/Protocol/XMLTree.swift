import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A parsed XML element: as much of a DOM as AWS Query and EC2 responses need. Names are local names (any
/// `prefix:` dropped); `text` is the character data directly inside the element, entities and CDATA resolved,
/// untrimmed.
public struct XMLTree: Sendable, Equatable {
    /// Local name of the element.
    public var name: String
    /// Attributes as written, names with any prefix.
    public var attributes: [String: String]
    /// Character data directly inside this element.
    public var text: String
    /// Child elements in document order.
    public var children: [XMLTree]

    /// An element; parsers build these, tests may too.
    public init(name: String, attributes: [String: String] = [:], text: String = "", children: [XMLTree] = []) {
        self.name = name
        self.attributes = attributes
        self.text = text
        self.children = children
    }

    /// Parses a whole document and returns its root element.
    ///
    /// Documents with a DTD are refused before parsing: AWS never sends one, and refusing them rules out entity
    /// expansion attacks whatever the XML library's defaults.
    public static func parse(_ document: some Collection<UInt8>) throws(AWSError) -> XMLTree {
        let bytes = Array(document)
        guard !bytes.isEmpty else { throw .malformedXML(reason: "empty document") }
        if containsDocumentTypeDeclaration(bytes) {
            throw .malformedXML(reason: "document type declarations are not accepted")
        }
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let builder = XMLTreeBuilder()
        parser.delegate = builder
        // FoundationXML on Linux returns true from parse() even after a fatal error such as content after the
        // root element, so the error itself is what decides.
        let succeeded = parser.parse()
        if let error = builder.parseError ?? parser.parserError {
            throw .malformedXML(reason: "XMLParser error \((error as NSError).code) near line \(parser.lineNumber)")
        }
        guard succeeded, let root = builder.root else {
            throw .malformedXML(reason: "no root element")
        }
        return root
    }

    /// The first child element named `name`.
    public func child(_ name: String) -> XMLTree? {
        children.first { $0.name == name }
    }

    /// Every child element named `name`, in order.
    public func children(named name: String) -> [XMLTree] {
        children.filter { $0.name == name }
    }

    /// The element at a path of child names below this one: `root.element(at: "GetCallerIdentityResult", "Arn")`.
    public func element(at path: String...) -> XMLTree? {
        element(at: path)
    }

    /// The text of the element at a path of child names, or nil when there is no such element.
    public func string(_ path: String...) -> String? {
        element(at: path)?.text
    }

    /// Like `string(_:)`, but a missing element is an error naming the whole path.
    public func requiredString(_ path: String...) throws(AWSError) -> String {
        guard let element = element(at: path) else {
            throw .missingElement(path: ([name] + path).joined(separator: "/"))
        }
        return element.text
    }

    /// The `<item>` children of an EC2 `…Set` element (`reservationSet`, `tagSet`); empty when the set is absent.
    public func items(_ setName: String) -> [XMLTree] {
        child(setName)?.children(named: "item") ?? []
    }

    /// The first element named `name` at any depth below this one, depth first.
    public func firstDescendant(named name: String) -> XMLTree? {
        for child in children {
            if child.name == name { return child }
            if let found = child.firstDescendant(named: name) { return found }
        }
        return nil
    }

    private func element(at path: [String]) -> XMLTree? {
        var current = self
        for name in path {
            guard let next = current.child(name) else { return nil }
            current = next
        }
        return current
    }

    private static func containsDocumentTypeDeclaration(_ bytes: [UInt8]) -> Bool {
        let marker = Array("<!DOCTYPE".utf8)
        let upper = bytes.map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 32 : $0 }
        guard upper.count >= marker.count else { return false }
        return (0...(upper.count - marker.count)).contains { upper[$0..<$0 + marker.count].elementsEqual(marker) }
    }
}

/// Builds an `XMLTree` from `XMLParser` events. Used by one parse on one thread, then dropped.
private final class XMLTreeBuilder: NSObject, XMLParserDelegate {
    private var stack: [XMLTree] = []
    private(set) var root: XMLTree?
    private(set) var parseError: (any Error)?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        let localName = elementName.split(separator: ":").last.map(String.init) ?? elementName
        stack.append(XMLTree(name: localName, attributes: attributeDict))
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        self.parseError = self.parseError ?? parseError
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        guard let finished = stack.popLast() else { return }
        if stack.isEmpty {
            root = finished
        } else {
            stack[stack.count - 1].children.append(finished)
        }
    }
}
