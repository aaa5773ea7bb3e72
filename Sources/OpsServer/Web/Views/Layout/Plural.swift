/// "1 target", "3 targets", "1 workflow": counts in page text.
enum Plural {
    static func count(_ count: Int, _ word: String, plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? word : plural ?? word + "s")
    }
}
