import SrochnoPostgres

/// A one-dimensional array in PostgreSQL's text form whose elements may be NULL, for batch
/// statements that `unnest` one array per column (`$1::bigint[]`, `$2::text[]`, …): a batch
/// of rows is then one prepared statement with a fixed number of parameters.
struct ArrayParameter: PostgresParameter {
    let elements: [String?]

    init(_ elements: [String?]) {
        self.elements = elements
    }

    init(_ values: [some PostgresParameter]) {
        elements = values.map(\.postgresText)
    }

    var postgresText: String? {
        var text = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { text += "," }
            guard let element else {
                text += "NULL"
                continue
            }
            text += "\""
            for scalar in element.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { text += "\\" }
                text.unicodeScalars.append(scalar)
            }
            text += "\""
        }
        return text + "}"
    }
}
