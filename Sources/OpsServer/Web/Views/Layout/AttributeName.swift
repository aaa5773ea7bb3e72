import Plot

/// The name of an HTML attribute whose value comes from data. Names are literals (`StaticString`), so data
/// can choose a value but never which attribute it lands in.
///
/// Plot escapes text nodes but writes attribute values as they are (`name="value"`). So a value that is not a
/// plain literal reaches a page only through `.attribute(_:_:)` below, which escapes it; Plot's own modifiers
/// (`.href`, `.value`, `.data(named:value:)`, …) take literals and enum cases only.
/// `AttributeSourceTests` reads the views and fails on any other use.
struct AttributeName: Sendable, Equatable {
    let name: String

    init(_ name: StaticString) {
        self.name = name.description
    }

    private init(computed name: String) {
        self.name = name
    }

    /// `data-NAME`.
    static func data(_ name: StaticString) -> AttributeName {
        AttributeName(computed: "data-\(name.description)")
    }

    static let action = AttributeName("action")
    static let `class` = AttributeName("class")
    static let content = AttributeName("content")
    static let datetime = AttributeName("datetime")
    static let `for` = AttributeName("for")
    static let href = AttributeName("href")
    static let id = AttributeName("id")
    static let label = AttributeName("label")
    static let max = AttributeName("max")
    static let maxlength = AttributeName("maxlength")
    static let min = AttributeName("min")
    static let name = AttributeName("name")
    static let pattern = AttributeName("pattern")
    static let placeholder = AttributeName("placeholder")
    static let size = AttributeName("size")
    static let src = AttributeName("src")
    static let title = AttributeName("title")
    static let value = AttributeName("value")
}

extension Node {
    /// The one way data reaches an attribute: `name="value"` with `& < > " '` escaped, so the value stays one
    /// attribute value whatever it holds. Values are never pre-escaped: pass the plain string.
    static func attribute(_ name: AttributeName, _ value: String) -> Node {
        .attribute(Attribute(name: name.name, value: value.attributeEscaped))
    }
}

extension Attribute {
    /// The one way data reaches an attribute of an element whose attributes Plot types as `Attribute`
    /// (`input`, `option`, `meta`, `link`): `name="value"` with `& < > " '` escaped.
    static func attribute(_ name: AttributeName, _ value: String) -> Attribute {
        Attribute(name: name.name, value: value.attributeEscaped)
    }
}

extension String {
    /// The string made safe inside a double- or single-quoted HTML attribute value (HTML §13.1.2.3): the quote
    /// characters, `&` (so entities in data stay text) and `<` `>` (for tools that scan markup naively).
    fileprivate var attributeEscaped: String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }
}
