/// What one CLIXML record on stderr shows a user (the policy is described on ``CLIXMLDecoder``).
enum CLIXMLRecord {
    /// Streams whose records are dropped.
    static let droppedStreams: Set<String> = ["progress", "verbose", "debug", "information"]

    /// The readable text of one record (UTF-8, possibly empty when the record is dropped), or nil when the
    /// record is not well-formed XML and must pass through as it is. Bytes that are not UTF-8 (a record written
    /// before the bootstrap switched the console to UTF-8) become U+FFFD.
    static func readableText(of record: ArraySlice<UInt8>) -> [UInt8]? {
        if record.starts(with: Array("<!--".utf8)) || record.starts(with: Array("<?".utf8)) { return [] }
        let utf8 = Array(String(decoding: record, as: UTF8.self).utf8)
        guard let element = try? WSManXMLParser.parse(utf8) else { return nil }
        let stream = element.attribute("S")?.lowercased()
        if let stream, droppedStreams.contains(stream) { return [] }
        switch element.name {
        case "S":
            let text = CLIXMLString.decode(element.text)
            guard stream == "warning" else { return Array(text.utf8) }
            return Array(("WARNING: " + terminated(text)).utf8)
        case "Obj":
            guard let summary = element.children.first(where: { $0.name == "ToString" }) else { return [] }
            let text = CLIXMLString.decode(summary.text)
            return Array(terminated(text).utf8)
        default:
            return []
        }
    }

    /// `text` ending with a line end (CR LF, as Windows writes them) unless it has one.
    private static func terminated(_ text: String) -> String {
        text.unicodeScalars.last == "\n" ? text : text + "\r\n"
    }
}
