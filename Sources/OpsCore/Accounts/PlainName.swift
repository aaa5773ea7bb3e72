/// Rules for labels people give things in free text — API token names, AWS account names — which never need
/// the characters markup and terminals are made of. Refusing `"`, `<`, `>`, control characters and the
/// invisible direction overrides keeps a label from turning into HTML, a forged log line or text that reads
/// differently from what it is; pages escape everything anyway, this is the second line.
public enum PlainName {
    /// The rule as an ECMA-262 pattern (openapi.yaml states it for the API's `name` fields).
    public static let pattern = #"^[^"<>\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$"#

    /// Why `name` is refused, naming the first bad character, or nil when it is acceptable.
    public static func problem(_ name: String) -> String? {
        guard let bad = name.unicodeScalars.first(where: isRefused) else { return nil }
        let shown = ["\"", "<", ">"].contains(bad) ? "'\(bad)'" : "U+" + hex(bad.value)
        return "must not contain \", <, > or control characters (found \(shown))"
    }

    /// Whether the rule refuses `scalar` anywhere in a name.
    public static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x22, 0x3C, 0x3E: true
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
