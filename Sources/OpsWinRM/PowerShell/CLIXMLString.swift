/// The escaping PowerShell's serializer applies to strings in CLIXML (MS-PSRP 2.2.5.3.2): a UTF-16 code unit
/// that XML cannot carry, or an underscore that would start such an escape, becomes `_xHHHH_`.
enum CLIXMLString {
    /// Replaces every `_xHHHH_` (hex in either case) with its UTF-16 code unit: `_x000D__x000A_` is CR LF,
    /// `_x005F_` a literal underscore, `_xD83C__xDFB5_` one character outside the BMP. A surrogate without its
    /// partner becomes U+FFFD; text that only looks like an escape (`_x005G_`) stays as it is.
    static func decode(_ text: String) -> String {
        let units = Array(text.utf16)
        guard units.contains(UInt16(ascii: "_")) else { return text }
        var output: [UInt16] = []
        output.reserveCapacity(units.count)
        var index = 0
        while index < units.count {
            if let unit = escapedUnit(units, at: index) {
                output.append(unit)
                index += 7
            } else {
                output.append(units[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF16.self)
    }

    /// The code unit of an `_xHHHH_` escape starting at `index`, or nil.
    private static func escapedUnit(_ units: [UInt16], at index: Int) -> UInt16? {
        guard index + 7 <= units.count, units[index] == UInt16(ascii: "_"), units[index + 1] == UInt16(ascii: "x"),
            units[index + 6] == UInt16(ascii: "_")
        else { return nil }
        var value: UInt16 = 0
        for unit in units[(index + 2)..<(index + 6)] {
            guard let digit = hexValue(unit) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    private static func hexValue(_ unit: UInt16) -> UInt16? {
        switch unit {
        case UInt16(ascii: "0")...UInt16(ascii: "9"): return unit - UInt16(ascii: "0")
        case UInt16(ascii: "a")...UInt16(ascii: "f"): return unit - UInt16(ascii: "a") + 10
        case UInt16(ascii: "A")...UInt16(ascii: "F"): return unit - UInt16(ascii: "A") + 10
        default: return nil
        }
    }
}

extension UInt16 {
    fileprivate init(ascii scalar: Unicode.Scalar) {
        self = UInt16(UInt8(ascii: scalar))
    }
}
