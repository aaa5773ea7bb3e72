import OpsCore
import Plot

/// Sub-navigation shared by the inventory pages.
enum InventoryNav {
    static func render(current: String, role: Role?) -> Node<HTML.BodyContext> {
        var links = [(SitePath.targets, "Targets"), (SitePath.groups, "Groups")]
        if role == .admin {
            links += [
                (SitePath.credentials, "Credentials"), (SitePath.knownHosts, "Known hosts"),
                (SitePath.inventoryImport, "Import"),
            ]
        }
        return .nav(
            .class("subnav"),
            .forEach(links) { link in
                .a(.attribute(.href, link.0), .attribute(.class, link.0 == current ? "active" : ""), .text(link.1))
            })
    }

    /// `k=v, k2=v2` for a tag dictionary.
    static func tagText(_ tags: [String: String]) -> String {
        tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }

    /// A `<select>` with `values`, the current one selected, and an optional empty choice.
    static func select(
        id: String, name: String, values: [String], selected: String?, empty: String? = nil
    ) -> Node<HTML.FormContext> {
        .select(
            .attribute(.id, id), .attribute(.name, name),
            .if(
                empty != nil,
                .option(
                    .value(""), .attribute(.label, empty ?? ""), .isSelected(selected == nil || selected == ""))),
            .forEach(values) { value in
                .option(
                    .attribute(.value, value), .attribute(.label, value), .isSelected(value == selected))
            })
    }
}
