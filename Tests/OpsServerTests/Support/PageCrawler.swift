import Foundation
import Vapor
import VaporTesting

@testable import OpsServer

/// Renders every page the app registers, as admin: each GET route outside the API with its parameters filled in
/// from ``CrawlSeed``, bare and with every query parameter any page reads set to the crawl's text, plus the form
/// posts that answer with a page showing what was sent.
struct PageCrawler {
    /// One rendered page: its HTML skeleton, or nil when the answer is not HTML (a redirect, text, YAML).
    struct Page {
        var status: HTTPStatus
        var skeleton: HTMLSkeleton?
    }

    /// Every query parameter the server reads (`PageCrawlerTests` checks the list against the source).
    static let queryNames = [
        "q", "selector", "group", "os", "transport", "status", "tool", "user", "target", "since", "until", "cursor",
        "limit", "action", "page", "per_page", "search", "environment", "account", "region", "state", "tag", "name",
        "instance_id", "targets", "next", "m", "rows", "after", "connected", "destructive", "error", "output", "c",
        "view", "failed", "format", "newer",
        "again", "from",
    ]

    /// Route parameters of page routes, by route pattern.
    static let substitutions: [String: [String]] = [
        "/tools/:id": ["/tools/\(CrawlSeed.toolID)"],
        "/runs/:id": CrawlSeed.runIDs.map { "/runs/\($0)" },
        "/runs/:id/log.txt": CrawlSeed.runIDs.map { "/runs/\($0)/log.txt" },
        "/targets/:name": ["/targets/web01"],
        "/inventory/groups/:name": ["/inventory/groups/web", "/inventory/groups/static"],
        "/jobs/:name": CrawlSeed.jobNames.map { "/jobs/\($0)" },
        "/jobs/:name/edit": ["/jobs/\(CrawlSeed.jobNames[0])"],
    ]

    /// Page routes with a parameter this crawler cannot fill yet (each needs an entry in `substitutions`).
    private(set) var unfilledRoutes: [String] = []
    /// Rendered pages by what was asked for (method, path with route parameters as patterns, query names).
    private(set) var pages: [String: Page] = [:]

    let test: TestApp
    let strings: CrawlStrings

    /// Seeds an app with `strings` and crawls it.
    static func crawl(_ strings: CrawlStrings) async throws -> PageCrawler {
        let tools = try CrawlSeed.toolsDirectory(strings)
        defer { try? FileManager.default.removeItem(atPath: tools) }
        var result: PageCrawler?
        try await TestApp.run(configure: { $0.toolsDirectory = tools }) { test in
            try await CrawlSeed.seed(test, strings)
            var crawler = PageCrawler(test: test, strings: strings)
            try await crawler.crawlPages()
            try await crawler.postForms()
            result = crawler
        }
        guard let result else { throw Abort(.internalServerError, reason: "the crawl did not run") }
        return result
    }

    private mutating func crawlPages() async throws {
        let admin = try await test.session("admin")
        let encodedText = Self.encode(strings.text)
        for route in test.app.routes.all where route.method == .GET {
            let pattern = "/" + route.path.map(\.description).joined(separator: "/")
            guard !pattern.hasPrefix("/api/") else { continue }
            let paths: [String]
            if pattern.contains(":") || pattern.contains("*") {
                guard let filled = Self.substitutions[pattern] else {
                    unfilledRoutes.append(pattern)
                    continue
                }
                paths = filled
            } else {
                paths = [pattern]
            }
            // The sign-in page is for people without a session.
            let session = pattern == "/login" ? nil : admin
            for (index, path) in paths.enumerated() {
                let key = "GET \(pattern)#\(index)"
                try await get(key, path, session: session)
                for name in Self.queryNames {
                    try await get("\(key)?\(name)", "\(path)?\(name)=\(encodedText)", session: session)
                }
                let all = Self.queryNames.map { "\($0)=\(encodedText)" }.joined(separator: "&")
                try await get("\(key)?all", "\(path)?\(all)", session: session)
            }
        }
        // A Conductor conversation whose every field is hostile.
        let conversation = CrawlSeed.conversationID.uuidString
        try await get("GET /conductor?c=seeded", "/conductor?c=\(conversation)", session: admin)
        // A run page with a target's output open.
        for (index, id) in CrawlSeed.runIDs.enumerated() {
            try await get("GET /runs/:id#\(index)?target=text", "/runs/\(id)?target=\(encodedText)", session: admin)
            try await get("GET /runs/:id#\(index)?target=web01", "/runs/\(id)?target=web01", session: admin)
            try await get("GET /runs/:id#\(index)?view=all", "/runs/\(id)?view=all", session: admin)
            try await get(
                "GET /runs/:id#\(index)?view=all&q=text", "/runs/\(id)?view=all&failed=1&q=\(encodedText)",
                session: admin)
        }
    }

    /// Form posts whose answer is a page that shows the entries back (previews, refusals).
    private mutating func postForms() async throws {
        let admin = try await test.session("admin")
        let text = strings.text
        let posts: [(String, [String: String])] = [
            (
                "/tools/\(CrawlSeed.toolID)/run",
                [
                    "intent": "preview", "run": "action:show", "params[note]": text, "params[level]": "plain",
                    "params[code]": "x", "targets[]": "web01", "groups[]": "web", "selector": "env=\(strings.tag)",
                ]
            ),
            ("/tools/\(CrawlSeed.toolID)/run", ["intent": "preview", "run": text, "params[\(text)]": text]),
            ("/tools/\(CrawlSeed.toolID)/run", ["intent": "preview", "run": "workflow:flow", "max_errors": text]),
            ("/inventory/new-target", ["name": text, "address": text, "username": text, "tags": text, "port": text]),
            ("/targets/web01", ["address": text, "username": text, "tags": text]),
            ("/inventory/groups", ["name": text, "description": text, "selector": text]),
            ("/inventory/credentials", ["name": text, "username": text, "kind": "ssh_password", "password": "x"]),
            ("/inventory/known-hosts", ["known_hosts": text]),
            ("/account/tokens", ["name": text]),
            ("/account/tokens", ["name": "ok", "expires_in_days": text]),
            ("/aws/accounts", ["environment": "com", "account_id": "123456789013", "name": text, "role_name": text]),
            ("/aws/accounts", ["environment": text, "account_id": text, "name": "ok"]),
            ("/admin/users", ["username": text, "role": "viewer"]),
            ("/conductor/messages", ["text": text]),
            (
                "/jobs",
                [
                    "name": text, "description": text, "tool": CrawlSeed.toolID, "run": "action:show",
                    "params[note]": text, "targets[]": "web01", "selector": text, "overridable[]": "targets",
                ]
            ),
            ("/jobs", ["name": "ok", "tool": CrawlSeed.toolID, "run": text, "params[note]": text]),
            (
                "/jobs/\(CrawlSeed.jobNames[0])",
                ["name": text, "description": text, "tool": CrawlSeed.toolID, "run": "action:show", "version": "1"]
            ),
            ("/jobs/\(CrawlSeed.jobNames[0])/run", ["intent": "preview"]),
            (
                "/jobs/\(CrawlSeed.jobNames[0])/run",
                [
                    "intent": "preview", "params[note]": text, "choose_targets": "1", "targets[]": "web01",
                    "selector": text, "choose_limits": "1", "max_concurrency": text,
                ]
            ),
            ("/runs/\(CrawlSeed.runIDs[1])/rerun", [:]),
            ("/conductor/messages", ["conversation": CrawlSeed.conversationID.uuidString, "text": text]),
        ]
        for (index, (path, form)) in posts.enumerated() {
            let response = try await test.send(.POST, path, session: admin, form: form)
            record("POST \(path)#\(index)", response)
        }
    }

    private mutating func get(_ key: String, _ path: String, session: BrowserSession?) async throws {
        record(key, try await test.send(.GET, path, session: session))
    }

    private mutating func record(_ key: String, _ response: TestingHTTPResponse) {
        let isHTML = response.headers.contentType?.description.hasPrefix("text/html") == true
        pages[key] = Page(status: response.status, skeleton: isHTML ? HTMLSkeleton(html: response.text) : nil)
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
