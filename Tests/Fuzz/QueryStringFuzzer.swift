import SrochnoCore

// libFuzzer target: arbitrary query strings through the same parsing the routes use.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQueryString(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard var query = try? QueryParameters(text) else { return 0 }
    _ = query.int("limit", default: 50, range: 1...100)
    _ = query.int("offset", default: 0, range: 0...Int64(Int32.max))
    _ = query.optionalInt("rating", range: 1...5)
    _ = query.bool("mine")
    _ = query.string("search", characters: 1...100)
    _ = query.requiredString("order_id")
    if let status = query.value("status") { _ = OrderStatus(rawValue: status) }
    if let contact = query.value("contact"), let normalized = Contact.normalize(contact) {
        // A normalised contact is a fixed point.
        precondition(Contact.normalize(normalized) == normalized, "normalisation is not idempotent for \(contact)")
    }
    if query.errors.isEmpty { try? query.finish() } else { precondition((try? query.finish()) == nil) }
    return 0
}
