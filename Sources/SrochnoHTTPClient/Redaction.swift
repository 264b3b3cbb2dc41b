/// Replaces the token in every `/bot<token>` path segment with `<redacted>`. The Bot API puts
/// the token in the URL path, and a URL can surface in libcurl's messages or in a log line;
/// everything after `/bot` up to the next `/`, `?`, `#`, quote or whitespace goes, so an
/// unrelated `/bottom` is redacted too, which costs nothing.
public func redactingBotTokens(_ text: String) -> String {
    let bytes = Array(text.utf8)
    let marker = Array("/bot".utf8)
    guard bytes.count > marker.count else { return text }
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    var changed = false
    while index < bytes.count {
        if bytes[index] == marker[0], bytes[index...].starts(with: marker) {
            var end = index + marker.count
            while end < bytes.count, !endsTokenSegment(bytes[end]) { end += 1 }
            output.append(contentsOf: marker)
            if end > index + marker.count {
                output.append(contentsOf: "<redacted>".utf8)
                changed = true
            }
            index = end
        } else {
            output.append(bytes[index])
            index += 1
        }
    }
    return changed ? String(decoding: output, as: UTF8.self) : text
}

private func endsTokenSegment(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "\""), UInt8(ascii: "'"),
        UInt8(ascii: " "), 0x09, 0x0A, 0x0D:
        return true
    default:
        return false
    }
}
