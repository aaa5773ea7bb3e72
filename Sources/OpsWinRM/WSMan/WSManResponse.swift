/// A SOAP envelope from the service, reduced to the headers the client checks and the body.
struct WSManResponse: Sendable {
    /// `wsa:Action`, when present.
    var action: String?
    /// `wsa:RelatesTo`: the MessageID of the request this answers.
    var relatesTo: String?
    /// The `s:Body` element.
    var body: WSManXMLElement

    /// The fault in the body, if the service answered with one.
    var fault: WinRMFault? {
        body.child(XMLNamespace.soap, "Fault").map(WinRMFault.init(faultElement:))
    }

    /// Reads a SOAP 1.2 envelope; anything else is malformed.
    static func parse(_ bytes: [UInt8]) throws(WSManError) -> WSManResponse {
        let root = try WSManXMLParser.parse(bytes)
        guard root.namespace == XMLNamespace.soap, root.name == "Envelope" else {
            throw .malformedXML(reason: "the document is not a SOAP 1.2 envelope")
        }
        guard let body = root.child(XMLNamespace.soap, "Body") else {
            throw .malformedXML(reason: "the SOAP envelope has no body")
        }
        let header = root.child(XMLNamespace.soap, "Header")
        return WSManResponse(
            action: header?.child(XMLNamespace.addressing, "Action").map { WSManText.trimmed($0.text) },
            relatesTo: header?.child(XMLNamespace.addressing, "RelatesTo").map { WSManText.trimmed($0.text) },
            body: body)
    }
}
