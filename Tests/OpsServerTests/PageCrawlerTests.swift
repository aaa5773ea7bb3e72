import Testing

@testable import OpsServer

/// Issue 18: data must never become markup. Every page is rendered twice, once over benign data and once over
/// hostile strings in every field a user or an outside system controls; parsed as a browser would, the hostile
/// pages must hold no element and no attribute name the benign ones lack.
@Suite("Page crawler: hostile data never becomes markup")
struct PageCrawlerTests {
    @Test func hostileDataCreatesNoElementOrAttributeOnAnyPage() async throws {
        // setup
        let benign = try await PageCrawler.crawl(.benign)

        // act
        let hostile = try await PageCrawler.crawl(.hostile)

        // assert
        #expect(hostile.unfilledRoutes.isEmpty, "page routes the crawler cannot fill: \(hostile.unfilledRoutes)")
        let bare = hostile.pages.filter { $0.key.hasPrefix("GET ") && !$0.key.contains("?") }
        #expect(
            bare.filter { $0.value.status != .ok }.isEmpty,
            "pages that do not render over the crawl's data: \(bare.filter { $0.value.status != .ok }.mapValues(\.status))"
        )
        let rendered = hostile.pages.filter { $0.value.skeleton != nil }
        #expect(rendered.count > 500, "only \(rendered.count) HTML pages rendered")
        #expect(
            hostile.pages.filter { $0.value.status.code >= 500 }.isEmpty,
            "server errors: \(hostile.pages.filter { $0.value.status.code >= 500 }.keys.sorted())")
        let everyBenignEntry = benign.pages.values.reduce(into: Set<String>()) {
            $0.formUnion($1.skeleton?.entries ?? [])
        }
        for (key, page) in rendered.sorted(by: { $0.key < $1.key }) {
            guard let skeleton = page.skeleton else { continue }
            let baseline = benign.pages[key]?.skeleton?.entries ?? everyBenignEntry
            let created = skeleton.entries.subtracting(baseline)
            #expect(created.isEmpty, "\(key): the data made \(created.sorted())")
            let markers =
                skeleton.attributeNames.intersection(CrawlStrings.markerAttributes)
                .union(skeleton.tagNames.intersection(CrawlStrings.markerElements))
            #expect(markers.isEmpty, "\(key): hostile markup \(markers.sorted())")
        }
    }

    /// A page that starts reading a new query parameter is crawled with it too.
    @Test func theCrawlSetsEveryQueryParameterTheServerReads() throws {
        // setup
        let reads = #/request\.query\[[^\]]*at: "([a-z_]+)"|values\["([a-z_]+)"\]|\b(?:text|list)\("([a-z_]+)"\)/#

        // act
        var names = Set<String>()
        for file in try AttributeSourceTests.swiftFiles()
        where file.path.hasPrefix("OpsServer/") && !file.text.contains("import Plot") {
            for match in file.text.matches(of: reads) {
                if let name = match.output.1 ?? match.output.2 ?? match.output.3 { names.insert(String(name)) }
            }
        }

        // assert
        #expect(names.isSuperset(of: ["q", "user", "instance_id", "tag", "limit"]), "the source scan broke: \(names)")
        #expect(
            names.subtracting(PageCrawler.queryNames).isEmpty,
            "not crawled: \(names.subtracting(PageCrawler.queryNames))")
    }

    /// The crawl's parser must see what a browser sees, or the test above proves nothing.
    @Test func theSkeletonSeesInjectedAttributesAndElements() {
        let broken = HTMLSkeleton(
            html: #"<button data-confirm="Revoke x" formaction="/evil" data-pwn="1?">Revoke</button>"#
                + #"<input value="y'><meta http-equiv=refresh content=0>"><p>a<b>x</b></p>"#)
        #expect(broken.attributeNames.isSuperset(of: ["formaction", "data-pwn", "data-confirm", "value"]))
        #expect(broken.tagNames.isSuperset(of: ["button", "input", "b", "p"]))
        #expect(!broken.tagNames.contains("meta"), "a quoted value holds the > and the <meta")
        let escaped = HTMLSkeleton(
            html: #"<button data-confirm="Revoke x&quot; formaction=&quot;/evil">x &lt;b&gt;</button>"#
                + #"<!-- <img src=x> --><script src="/a.js"></script><textarea><img></textarea>"#)
        #expect(escaped.entries == ["button", "button@data-confirm", "script", "script@src", "textarea"])
    }
}
