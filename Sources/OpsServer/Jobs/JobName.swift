/// A job's name: it is a URL path segment (`/jobs/{name}`, `/api/v1/jobs/{name}`) and a CLI argument.
enum JobName {
    static let maxLength = 100
    /// Taken by the page that creates a job.
    static let reserved: Set<String> = ["new"]

    /// `name` when it is 1–100 of `[A-Za-z0-9._-]`, starting with a letter or digit, and not reserved.
    static func validate(_ name: String) throws -> String {
        func refuse(_ message: String) -> JobError { .invalid(field: "name", message: message) }
        guard !name.isEmpty else { throw refuse("must not be empty") }
        guard name.count <= maxLength else { throw refuse("must be at most \(maxLength) characters") }
        guard
            name.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || isDigit($0) || "._-".unicodeScalars.contains($0))
            })
        else { throw refuse("may contain only letters, digits, '.', '_' and '-'") }
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || isDigit(first) else {
            throw refuse("must start with a letter or digit")
        }
        guard !reserved.contains(name) else { throw refuse("'\(name)' is reserved") }
        return name
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
}
