import SrochnoCore

/// Turns an `HTTPResponse` into the CGI-style head libfcgi expects:
/// `Status: <code> <reason>`, the handler's headers, `Content-Length`, a blank line.
enum ResponseWriter {
    struct Written {
        /// The status actually sent (a status outside 100...599 is sent as 500).
        var status: Int
        /// The response's `userID`, for the request log.
        var user: Int64?
    }

    /// Writes the response; returns what the request log needs.
    /// Header framing is ours: a handler's own `Content-Length` or `Status` header is dropped,
    /// and CR/LF inside names or values become spaces so no header can split the head.
    static func write(_ response: HTTPResponse, to connection: some FastCGIStreams) -> Written {
        let status = (100...599).contains(response.status) ? response.status : 500
        let hasBody = status != 204 && status != 304 && status >= 200
        var head: [UInt8] = []
        head.reserveCapacity(128 + response.headers.count * 48)

        append("Status: \(status) \(HTTPResponse.reasonPhrase(status))\r\n", to: &head)
        for (name, value) in response.headers {
            if equalsIgnoringCase(name, "content-length") || equalsIgnoringCase(name, "status") {
                continue
            }
            appendSanitized(name, to: &head)
            append(": ", to: &head)
            appendSanitized(value, to: &head)
            append("\r\n", to: &head)
        }
        if hasBody {
            append("Content-Length: \(response.body.count)\r\n", to: &head)
        }
        append("\r\n", to: &head)

        connection.write(head)
        if hasBody && !response.omitsBody {
            connection.write(response.body)
        }
        return Written(status: status, user: response.userID)
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: text.utf8)
    }

    private static func appendSanitized(_ text: String, to bytes: inout [UInt8]) {
        for byte in text.utf8 {
            bytes.append(byte == 13 || byte == 10 ? UInt8(ascii: " ") : byte)
        }
    }

    /// ASCII case-insensitive comparison against a lower-case name, without allocating.
    static func equalsIgnoringCase(_ name: String, _ lowercased: String) -> Bool {
        name.utf8.count == lowercased.utf8.count
            && zip(name.utf8, lowercased.utf8).allSatisfy { pair in
                let byte = pair.0
                let folded = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
                return folded == pair.1
            }
    }
}
