import Foundation

/// Where a sign-in may send the browser next: a path on this server, read the way a browser will read it.
///
/// A check on the raw string is not enough, because browsers clean a URL before they parse it (WHATWG URL
/// Standard, "basic URL parser"): they strip leading and trailing C0 controls and spaces, remove every tab and
/// newline anywhere, and treat `\` as `/` in http(s) URLs. So `/<TAB>/evil.example/` becomes `//evil.example/`,
/// another host. This applies the same cleaning first, then accepts only an absolute path that keeps the
/// server's own origin, and returns the cleaned form: the redirect carries exactly what was checked.
enum SafeRedirect {
    /// The longest `next` followed; longer ones go to `/`.
    static let maxLength = 512

    /// The cleaned same-origin path, or nil when `next` would leave this server (or is not a path).
    static func path(_ next: String?) -> String? {
        guard let next, next.utf8.count <= maxLength * 4 else { return nil }
        let cleaned = browserCleaned(next)
        guard cleaned.count <= maxLength, cleaned.hasPrefix("/"), !cleaned.hasPrefix("//"),
            !cleaned.unicodeScalars.contains(where: isControlOrSpace)
        else { return nil }
        // Resolve against a stand-in origin: whatever the path does (dot segments, encoded bytes), the result must
        // keep that origin.
        guard let origin = URL(string: "http://pcm-ops.invalid/"),
            let resolved = URL(string: cleaned, relativeTo: origin)?.absoluteURL,
            resolved.scheme == "http", resolved.host == "pcm-ops.invalid", resolved.port == nil,
            resolved.user == nil, resolved.password == nil
        else { return nil }
        return cleaned
    }

    /// What a browser does to a URL string before parsing it, for http(s) URLs.
    static func browserCleaned(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        while let first = scalars.first, isC0OrSpace(first) { scalars.removeFirst() }
        while let last = scalars.last, isC0OrSpace(last) { scalars.removeLast() }
        var result = String.UnicodeScalarView()
        for scalar in scalars where scalar != "\t" && scalar != "\n" && scalar != "\r" {
            result.append(scalar == "\\" ? "/" : scalar)
        }
        return String(result)
    }

    private static func isC0OrSpace(_ scalar: Unicode.Scalar) -> Bool { scalar.value <= 0x20 }

    /// Controls (C0, DEL, C1) and spaces of any kind: never part of a path this server links to.
    private static func isControlOrSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value <= 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.properties.isWhitespace
            || scalar.properties.generalCategory == .format
    }
}
