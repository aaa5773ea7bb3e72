/// Why an inventory, or one of its values, was refused.
///
/// Cases that describe a whole file carry the 1-based line where the problem was found. Messages quote
/// names, ports and tags to help the user find the mistake, but never the value of a password variable.
public enum InventoryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A target name breaks the naming rules (``TargetName``).
    case invalidTargetName(name: String, reason: String)
    /// An address is neither a hostname nor an IP address (``TargetAddress``).
    case invalidAddress(address: String, reason: String)
    /// One `key=value` pair of a tag list is wrong (``Tags``).
    case invalidTag(pair: String, reason: String)
    /// One term of a tag selector is wrong (``TagSelector``).
    case invalidSelector(term: String, reason: String)
    /// A host name range such as `web[01:20]` cannot be expanded (``HostPattern``).
    case invalidHostPattern(pattern: String, reason: String)
    /// The text is not valid YAML.
    case malformedYAML(line: Int, problem: String)
    /// An INI inventory line cannot be understood.
    case malformedINI(line: Int, problem: String)
    /// The text is not valid CSV (RFC 4180).
    case malformedCSV(line: Int, problem: String)
    /// The YAML is valid but not shaped like an Ansible inventory.
    case unexpectedStructure(line: Int, problem: String)
    /// A group name is empty or holds characters Ansible does not allow.
    case invalidGroupName(line: Int, name: String)
    /// Groups contain each other through `children`; `cycle` lists the path, first group repeated last.
    case childrenCycle(line: Int, cycle: [String])
    /// A CSV file has no header row.
    case missingCSVHeader
    /// A CSV header names a column the importer does not know.
    case unknownCSVColumn(line: Int, column: String, known: [String])
    /// A CSV header names the same column twice.
    case duplicateCSVColumn(line: Int, column: String)
    /// A CSV header has no `name` column.
    case missingCSVNameColumn(line: Int)

    /// A message for the user, with the line number first when there is one.
    public var description: String {
        switch self {
        case .invalidTargetName(let name, let reason): "invalid target name '\(name)': \(reason)"
        case .invalidAddress(let address, let reason): "invalid address '\(address)': \(reason)"
        case .invalidTag(let pair, let reason): "invalid tag '\(pair)': \(reason)"
        case .invalidSelector(let term, let reason): "invalid tag selector term '\(term)': \(reason)"
        case .invalidHostPattern(let pattern, let reason): "invalid host pattern '\(pattern)': \(reason)"
        case .malformedYAML(let line, let problem): "line \(line): not valid YAML: \(problem)"
        case .malformedINI(let line, let problem): "line \(line): \(problem)"
        case .malformedCSV(let line, let problem): "line \(line): not valid CSV: \(problem)"
        case .unexpectedStructure(let line, let problem): "line \(line): \(problem)"
        case .invalidGroupName(let line, let name):
            "line \(line): invalid group name '\(name)': use letters, digits, '_', '.' and '-'"
        case .childrenCycle(let line, let cycle):
            "line \(line): groups contain each other through children: \(cycle.joined(separator: " -> "))"
        case .missingCSVHeader: "the CSV file is empty: a header row naming the columns is required"
        case .unknownCSVColumn(let line, let column, let known):
            "line \(line): unknown column '\(column)'; known columns are: \(known.joined(separator: ", "))"
        case .duplicateCSVColumn(let line, let column): "line \(line): column '\(column)' appears more than once"
        case .missingCSVNameColumn(let line): "line \(line): the header has no 'name' column"
        }
    }
}
