/// Escaping for every value the client puts into an envelope: nothing reaches the XML unescaped.
enum XMLEscaping {
    /// Character data: `&`, `<`, `>` escaped, and CR as `&#13;` so that a parser's line-end normalisation
    /// cannot turn CR LF into LF. Throws for characters XML 1.0 cannot carry at all.
    static func text(_ value: String, field: String) throws(WSManError) -> String {
        try escape(value, field: field, inAttribute: false)
    }

    /// An attribute value for double quotes: also `"` and `'`, and tab, CR and LF as character references,
    /// which attribute-value normalisation would otherwise turn into spaces.
    static func attribute(_ value: String, field: String) throws(WSManError) -> String {
        try escape(value, field: field, inAttribute: true)
    }

    private static func escape(_ value: String, field: String, inAttribute: Bool) throws(WSManError) -> String {
        var output = ""
        output.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"" where inAttribute: output += "&quot;"
            case "'" where inAttribute: output += "&apos;"
            case "\r": output += "&#13;"
            case "\n" where inAttribute: output += "&#10;"
            case "\t" where inAttribute: output += "&#9;"
            default:
                guard WSManXMLCharacter.isAllowed(scalar.value) else { throw .unrepresentableText(field: field) }
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}

/// XML 1.0 §2.2 `Char`: what a document may contain, literally or as a character reference.
enum WSManXMLCharacter {
    static func isAllowed(_ value: UInt32) -> Bool {
        value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
            || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
    }
}
