import Testing

@testable import OpsAWS

@Suite("SigV4 canonical forms")
struct SigV4CanonicalFormTests {
    @Test func uriEncodeKeepsOnlyUnreservedCharacters() {
        #expect(SigV4.uriEncode("AZaz09-._~") == "AZaz09-._~")
        #expect(SigV4.uriEncode("a b+c*d/e=f&g%h") == "a%20b%2Bc%2Ad%2Fe%3Df%26g%25h")
        #expect(SigV4.uriEncode("ü\u{1234}😀") == "%C3%BC%E1%88%B4%F0%9F%98%80")
    }

    @Test func uriEncodeKeepsSlashOnlyInPaths() {
        #expect(SigV4.uriEncode("/a/b c", keepSlash: true) == "/a/b%20c")
        #expect(SigV4.uriEncode("/a/b c") == "%2Fa%2Fb%20c")
    }

    @Test func canonicalURIEncodesAnAlreadyEncodedPathAgain() {
        // AWS: "each path segment must be URI-encoded twice"; the wire form is the first encoding.
        #expect(SigV4.canonicalURI(path: "/example%20space/", normalize: true) == "/example%2520space/")
        #expect(SigV4.canonicalURI(path: "/a%2Fb", normalize: true) == "/a%252Fb")
    }

    @Test func canonicalURIOfAnEmptyOrRelativePathIsAbsolute() {
        #expect(SigV4.canonicalURI(path: "", normalize: true) == "/")
        #expect(SigV4.canonicalURI(path: "", normalize: false) == "/")
        #expect(SigV4.canonicalURI(path: "a/b", normalize: false) == "/a/b")
    }

    @Test func normalizationRemovesDotAndEmptySegments() {
        #expect(SigV4.removeDotSegments("/a/./b/../c") == "/a/c")
        #expect(SigV4.removeDotSegments("//a//b//") == "/a/b/")
        #expect(SigV4.removeDotSegments("/../../a") == "/a")
        #expect(SigV4.removeDotSegments("/a/..") == "/")
        #expect(SigV4.removeDotSegments("/") == "/")
        #expect(SigV4.removeDotSegments("/.../a") == "/.../a")
    }

    @Test func aPathEndingInADotSegmentLosesItsSlashAsInBotocore() {
        // RFC 3986 §5.2.4 would give "/a/"; botocore, and so the services' own SDK behaviour, give "/a".
        #expect(SigV4.removeDotSegments("/a/.") == "/a")
        #expect(SigV4.removeDotSegments("/a/b/..") == "/a")
    }

    @Test func queryIsSortedByNameThenValueNotByJoinedPair() {
        // Sorting "a-b=1" and "a=2" as strings would put a-b first ('-' < '='); AWS sorts names first.
        let query = [SigV4.QueryItem("a-b", "1"), .init("a", "2"), .init("a", "10"), .init("B", "x")]
        #expect(SigV4.canonicalQueryString(query) == "B=x&a=10&a=2&a-b=1")
    }

    @Test func queryEncodesNamesAndValuesAndKeepsEmptyOnes() {
        let query = [SigV4.QueryItem("k=1&", "v w+/"), .init("", "x"), .init("empty", ""), .init("ü", "~")]
        #expect(SigV4.canonicalQueryString(query) == "=x&%C3%BC=~&empty=&k%3D1%26=v%20w%2B%2F")
        #expect(SigV4.canonicalQueryString([]) == "")
    }

    @Test func querySortsByEncodedBytesNotByUnicodeOrder() {
        // "~" (0x7E) sorts after "Z" and "a", and "%" (0x25) before both once non-ASCII is encoded.
        let query = [SigV4.QueryItem("~", "1"), .init("a", "1"), .init("Z", "1"), .init("é", "1")]
        #expect(SigV4.canonicalQueryString(query) == "%C3%A9=1&Z=1&a=1&~=1")
    }

    @Test func headersAreLowercasedTrimmedMergedAndSorted() {
        // setup
        let headers = [
            SigV4.Header("X-B", "  two   words "), .init("x-a", "first"), .init("X-A", "\tsecond\r\n  line"),
            .init("Content-Type", "text/plain"),
        ]
        // act
        let canonical = SigV4.canonicalHeaders(headers)
        // assert
        #expect(canonical.canonical == "content-type:text/plain\nx-a:first,second line\nx-b:two words\n")
        #expect(canonical.signedHeaders == "content-type;x-a;x-b")
    }

    @Test func hopByHopAndRewrittenHeadersAreNotSigned() {
        // setup
        let headers = ["User-Agent", "Expect", "X-Amzn-Trace-Id", "Transfer-Encoding", "Connection", "Host"]
            .map { SigV4.Header($0, "v") }
        // act
        let canonical = SigV4.canonicalHeaders(headers)
        // assert
        #expect(canonical.signedHeaders == "host")
    }

    @Test func trimAllCollapsesASCIIWhitespaceOnly() {
        #expect(SigV4.trimAll("  a \t\r\n b  ") == "a b")
        #expect(SigV4.trimAll("") == "")
        #expect(SigV4.trimAll(" \t ") == "")
        #expect(SigV4.trimAll("a\u{00A0}b") == "a\u{00A0}b")
    }

    @Test func hashedPayloadIsHexSHA256() {
        #expect(SigV4.hashedPayload([]) == SigV4.emptyPayloadHash)
        #expect(
            SigV4.hashedPayload(Array("Param1=value1".utf8))
                == "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")
    }
}
