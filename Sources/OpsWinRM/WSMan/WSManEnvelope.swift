/// A `wsman:Option` of a request's `wsman:OptionSet` (MS-WSMV 2.2.4.28).
struct WSManOption: Sendable, Equatable {
    var name: String
    var value: String
    /// The service must fail rather than ignore the option (`MustComply="true"`).
    var mustComply = false
}

/// One WS-Management request before it is addressed: the operation, the shell it targets, its options and
/// its body (already escaped XML).
struct WSManRequest: Sendable {
    var operation: WinRSOperation
    /// The `ShellId` selector: every operation but Create targets one shell.
    var shellID: String?
    var options: [WSManOption] = []
    /// The body's content, escaped; empty for Delete.
    var body: String
}

/// Writes SOAP 1.2 envelopes with the WS-Addressing and WS-Management headers Windows expects (MS-WSMV 2.2.4;
/// the header set and prefixes are those pypsrp sends, proven against Windows by its recordings).
enum WSManEnvelope {
    static let namespaceDeclarations =
        "xmlns:s=\"\(XMLNamespace.soap)\" xmlns:wsa=\"\(XMLNamespace.addressing)\" "
        + "xmlns:wsman=\"\(XMLNamespace.wsman)\" xmlns:wsmv=\"\(XMLNamespace.wsmv)\" xmlns:rsp=\"\(XMLNamespace.shell)\""

    /// The envelope of `request`, identified by `messageID` (`uuid:…`), as UTF-8 bytes.
    static func render(_ request: WSManRequest, messageID: String, configuration: WSManConfiguration)
        throws(WSManError) -> [UInt8]
    {
        var xml = "<s:Envelope \(namespaceDeclarations)><s:Header>"
        xml += "<wsa:Action s:mustUnderstand=\"true\">\(request.operation.action)</wsa:Action>"
        let dataLocale = try XMLEscaping.attribute(configuration.dataLocale, field: "the data locale")
        let locale = try XMLEscaping.attribute(configuration.locale, field: "the locale")
        xml += "<wsmv:DataLocale s:mustUnderstand=\"false\" xml:lang=\"\(dataLocale)\"/>"
        xml += "<wsman:Locale s:mustUnderstand=\"false\" xml:lang=\"\(locale)\"/>"
        xml +=
            "<wsman:MaxEnvelopeSize s:mustUnderstand=\"true\">\(configuration.maxEnvelopeSize)</wsman:MaxEnvelopeSize>"
        xml += "<wsa:MessageID>\(try XMLEscaping.text(messageID, field: "the message ID"))</wsa:MessageID>"
        xml +=
            "<wsman:OperationTimeout>\(WSManDuration.format(configuration.operationTimeout))</wsman:OperationTimeout>"
        xml +=
            "<wsa:ReplyTo><wsa:Address s:mustUnderstand=\"true\">\(WinRSURI.anonymousReplyTo)</wsa:Address></wsa:ReplyTo>"
        xml += "<wsman:ResourceURI s:mustUnderstand=\"true\">\(WinRSURI.cmdShellResource)</wsman:ResourceURI>"
        xml += "<wsa:To>\(try XMLEscaping.text(configuration.endpointURL, field: "the endpoint URL"))</wsa:To>"
        if !request.options.isEmpty {
            xml += "<wsman:OptionSet s:mustUnderstand=\"true\">"
            for option in request.options {
                let name = try XMLEscaping.attribute(option.name, field: "an option name")
                let value = try XMLEscaping.text(option.value, field: "option \(option.name)")
                let mustComply = option.mustComply ? " MustComply=\"true\"" : ""
                xml += "<wsman:Option Name=\"\(name)\"\(mustComply)>\(value)</wsman:Option>"
            }
            xml += "</wsman:OptionSet>"
        }
        if let shellID = request.shellID {
            let id = try XMLEscaping.text(shellID, field: "the shell ID")
            xml += "<wsman:SelectorSet><wsman:Selector Name=\"ShellId\">\(id)</wsman:Selector></wsman:SelectorSet>"
        }
        xml +=
            request.body.isEmpty
            ? "</s:Header><s:Body/></s:Envelope>" : "</s:Header><s:Body>\(request.body)</s:Body></s:Envelope>"
        return Array(xml.utf8)
    }
}
