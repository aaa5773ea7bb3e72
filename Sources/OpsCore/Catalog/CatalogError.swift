/// A problem in a tool definition, naming the file, the line and the field.
public struct CatalogError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// Dotted path of the field, e.g. `actions[1].interpreter`.
    public var field: String?
    public var message: String

    public init(file: String, line: Int?, field: String?, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let field { location += " (\(field))" }
        return "\(location): \(message)"
    }
}
