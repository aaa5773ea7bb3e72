/// One record of a CSV file, with the physical line it starts on.
struct CSVRecord: Equatable {
    var line: Int
    var fields: [String]
    /// Set when the record is readable but not well-formed, such as text after a closing quote.
    var problem: String?

    /// Whether every field is blank: empty lines and spreadsheet rows of bare commas.
    var isBlank: Bool { fields.allSatisfy { $0.allSatisfy(\.isWhitespace) } }
}

/// Splits text into records following RFC 4180: comma-separated fields, fields in double quotes may hold
/// commas, line breaks and doubled quotes (`""`), records end at CRLF, LF or CR.
enum CSVRecordReader {
    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted
    }

    /// The records in order; throws only for a quoted field that is never closed, which swallows the rest.
    static func read(_ text: String) throws(InventoryError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field = ""
        var state = State.fieldStart
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var problem: String?

        func endRecord() {
            fields.append(field)
            records.append(CSVRecord(line: recordLine, fields: fields, problem: problem))
            fields = []
            field = ""
            problem = nil
            state = .fieldStart
            line += 1
            recordLine = line
        }
        func endField() {
            fields.append(field)
            field = ""
            state = .fieldStart
        }

        for character in text {
            switch state {
            case .fieldStart, .unquoted:
                if character == "\"" && state == .fieldStart {
                    state = .quoted
                    quoteLine = line
                } else if character == "," {
                    endField()
                } else if character.isNewline {
                    endRecord()
                } else {
                    field.append(character)
                    state = .unquoted
                }
            case .quoted:
                if character == "\"" {
                    state = .quoteInQuoted
                } else {
                    if character.isNewline { line += 1 }
                    field.append(character)
                }
            case .quoteInQuoted:
                if character == "\"" {
                    field.append(character)
                    state = .quoted
                } else if character == "," {
                    endField()
                } else if character.isNewline {
                    endRecord()
                } else {
                    problem = problem ?? "text after the closing quote of a field; quote the whole field"
                    field.append(character)
                    state = .unquoted
                }
            }
        }
        if state == .quoted { throw .malformedCSV(line: quoteLine, problem: "a quoted field is never closed") }
        if state != .fieldStart || !fields.isEmpty { endRecord() }
        return records
    }
}
