import Plot

/// The trail above a detail page's heading ("Targets › Groups › web"): every step but the last is a link, the
/// last is the page itself (`aria-current="page"`).
enum Breadcrumbs {
    /// One step: its title and, except for the page itself, where it leads.
    struct Crumb {
        var title: String
        var path: String?

        init(_ title: String, _ path: String? = nil) {
            self.title = title
            self.path = path
        }
    }

    static func render(_ crumbs: [Crumb]) -> Node<HTML.BodyContext> {
        .nav(
            .class("breadcrumbs"), .attribute(named: "aria-label", value: "Breadcrumb"),
            .ol(
                .forEach(crumbs) { crumb in
                    if let path = crumb.path {
                        return .li(.a(.attribute(.href, path), .text(crumb.title)))
                    }
                    return .li(.attribute(named: "aria-current", value: "page"), .text(crumb.title))
                }))
    }
}
