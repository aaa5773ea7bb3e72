import Foundation

/// Reads a spreadsheet export of targets (RFC 4180 CSV) into hosts ready to import.
///
/// The first non-blank row is the header, naming columns from ``columns`` in any order, case-insensitive;
/// `name` is required. Per column: `address` (hostname or IP; empty means the name is the address),
/// `port` (1–65535), `transport` (``TransportKind``), `os` (``OSFamily``; empty means windows for winrm,
/// otherwise unknown), `tags` (`env=prod;role=web`, or with `,` when the field is quoted), `groups`
/// (separated by `;` or spaces). Blank rows are skipped. A bad row becomes an ``InventoryRejection`` and
/// the rest of the file is still read; names must be unique in a file, compared case-insensitively.
public enum CSVInventoryParser {
    /// The columns a header may name.
    public static let columns = ["name", "address", "port", "transport", "os", "tags", "groups"]

    /// Reads the CSV text; throws for a missing or wrong header, or a quote that is never closed.
    public static func parse(_ text: String) throws(InventoryError) -> ParsedInventory {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let records = try CSVRecordReader.read(body).filter { !$0.isBlank }
        guard let header = records.first else { throw .missingCSVHeader }
        let layout = try CSVHeader(header)
        var result = ParsedInventory()
        var seen: [String: Int] = [:]
        var groupIndex: [String: Int] = [:]
        for record in records.dropFirst() {
            switch host(from: record, layout: layout, seen: &seen) {
            case .rejected(let rejection):
                result.rejections.append(rejection)
            case .accepted(let host):
                result.hosts.append(host)
                for group in host.groups {
                    if let index = groupIndex[group] {
                        result.groups[index].directHosts.append(host.name)
                    } else {
                        groupIndex[group] = result.groups.count
                        result.groups.append(InventoryGroup(name: group, directHosts: [host.name], line: record.line))
                    }
                }
            }
        }
        return result
    }

    private static func host(
        from record: CSVRecord, layout: CSVHeader, seen: inout [String: Int]
    ) -> HostOutcome {
        let rawName = layout.value("name", in: record)
        let name = rawName.flatMap { $0.isEmpty ? nil : $0 }
        func reject(_ reason: String) -> HostOutcome {
            .rejected(InventoryRejection(line: record.line, name: name, reason: reason))
        }
        if let problem = record.problem { return reject(problem) }
        guard record.fields.count == layout.count else {
            return reject("expected \(layout.count) fields as in the header, found \(record.fields.count)")
        }
        guard let name else { return reject("the name is empty") }
        if case .failure(let error) = TargetName.validate(name) { return reject(error.description) }
        if let first = seen[name.lowercased()] { return reject("the name '\(name)' is already used on line \(first)") }
        seen[name.lowercased()] = record.line
        var host = InventoryHost(name: name, line: record.line)
        if let address = layout.nonEmpty("address", in: record) {
            switch TargetAddress.validate(address) {
            case .success(let valid): host.address = valid
            case .failure(let error): return reject(error.description)
            }
        }
        if let port = layout.nonEmpty("port", in: record) {
            guard let number = Int(port), (1...65535).contains(number) else {
                return reject("port '\(port)' is not a port number between 1 and 65535")
            }
            host.port = number
        }
        if let transport = layout.nonEmpty("transport", in: record) {
            guard let kind = TransportKind(parsing: transport) else {
                let known = TransportKind.allCases.map(\.rawValue).joined(separator: ", ")
                return reject("transport '\(transport)' is not one of: \(known)")
            }
            host.transport = kind
        }
        if let os = layout.nonEmpty("os", in: record) {
            guard let family = OSFamily(parsing: os) else {
                let known = OSFamily.allCases.map(\.rawValue).joined(separator: ", ")
                return reject("os '\(os)' is not one of: \(known)")
            }
            host.os = family
        } else if host.transport == .winrm {
            host.os = .windows
        }
        do throws(InventoryError) {
            host.tags = try Tags(parsing: layout.value("tags", in: record) ?? "").dictionary
        } catch {
            return reject(error.description)
        }
        var groups: [String] = []
        for group in (layout.value("groups", in: record) ?? "").split(whereSeparator: { $0 == ";" || $0.isWhitespace })
        {
            guard AnsibleInventoryDraft.isValidGroupName(String(group)) else {
                return reject("group name '\(group)' may contain only letters, digits, '_', '.' and '-'")
            }
            if !groups.contains(String(group)) { groups.append(String(group)) }
        }
        host.groups = groups.sorted()
        return .accepted(host)
    }
}

/// Where each known column sits in a CSV file's rows.
private struct CSVHeader {
    private var positions: [String: Int] = [:]
    let count: Int

    init(_ record: CSVRecord) throws(InventoryError) {
        if let problem = record.problem { throw .malformedCSV(line: record.line, problem: problem) }
        count = record.fields.count
        for (position, raw) in record.fields.enumerated() {
            let column = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard CSVInventoryParser.columns.contains(column) else {
                throw .unknownCSVColumn(line: record.line, column: column, known: CSVInventoryParser.columns)
            }
            guard positions[column] == nil else { throw .duplicateCSVColumn(line: record.line, column: column) }
            positions[column] = position
        }
        guard positions["name"] != nil else { throw .missingCSVNameColumn(line: record.line) }
    }

    /// The trimmed field of `column`, nil when the file has no such column or the row is too short.
    func value(_ column: String, in record: CSVRecord) -> String? {
        guard let position = positions[column], position < record.fields.count else { return nil }
        return record.fields[position].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The trimmed field of `column`, nil when it is missing or empty.
    func nonEmpty(_ column: String, in record: CSVRecord) -> String? {
        value(column, in: record).flatMap { $0.isEmpty ? nil : $0 }
    }
}
