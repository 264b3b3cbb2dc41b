import SrochnoCore

// libFuzzer target: arbitrary request bodies through JSON parsing and field validation, plus
// the writer: whatever parses must survive a write-and-parse round trip unchanged.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONBody(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let value = try? JSONParser.parse(bytes) {
        var writer = JSONWriter()
        writer.value(value)
        guard let again = try? JSONParser.parse(writer.bytes), again == value else {
            fatalError("JSON round trip changed the document: \(String(decoding: writer.bytes, as: UTF8.self))")
        }
    }
    guard let object = try? parseJSONObjectBody(bytes) else { return 0 }
    var fields = FieldReader(object)
    _ = fields.string("description", required: true, characters: 20...1000)
    _ = fields.int("amount", required: true, range: 1...100_000)
    _ = fields.bool("enabled")
    _ = fields.stringList("categories", maxItems: 10)
    let failure = APIError(validation: fields.errors).response
    precondition((try? JSONParser.parse(failure.body)) != nil, "a 422 body is not valid JSON")
    return 0
}
