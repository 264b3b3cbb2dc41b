import SrochnoCore

/// Today's city list, and how an old value is matched to it: exactly, or else written with
/// another case or «е» for «ё» («москва», «Орел») when that names exactly one city.
struct CityNames: Sendable {
    private let known: Set<String>
    /// Folded spelling → the one city it names; nil when several cities fold alike.
    private let folded: [String: String?]

    init(_ names: [String]) {
        known = Set(names)
        var folded: [String: String?] = [:]
        for name in names {
            let key = Self.fold(name)
            folded[key] = folded[key] == nil ? .some(name) : .some(nil)
        }
        self.folded = folded
    }

    /// The city `text` names, and whether that took folding; nil when it names none.
    func match(_ text: String) -> (name: String, exact: Bool)? {
        if known.contains(text) { return (text, true) }
        guard let found = folded[Self.fold(text)], let name = found else { return nil }
        return (name, false)
    }

    static func fold(_ text: String) -> String {
        String(text.trimmingASCIIWhitespace().lowercased().map { $0 == "ё" ? "е" : $0 })
    }
}

extension String {
    /// Length as PostgreSQL's `char_length` counts it in UTF-8: code points.
    var codePointCount: Int { unicodeScalars.count }

    /// The first `count` code points.
    func prefix(codePoints count: Int) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: unicodeScalars.prefix(count))
        return String(scalars)
    }
}
