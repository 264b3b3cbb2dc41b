import SrochnoCore

/// A request read from FastCGI params and stdin. When `earlyResponse` is set the request could
/// not be taken as it is (body too large, malformed length, short body): the worker sends that
/// response without calling the handler. Method and path are always filled in for the log.
struct IncomingRequest {
    var request: HTTPRequest
    var earlyResponse: HTTPResponse?
}

enum FastCGIRequestReader {
    /// Builds an `HTTPRequest` from the current request's params (iterating all of them) and
    /// reads its body, at most `maxBodyBytes`.
    ///
    /// - method: REQUEST_METHOD; path: DOCUMENT_URI (nginx `$document_uri`: decoded and
    ///   normalised), else REQUEST_URI up to `?`, percent-decoded; query: QUERY_STRING with
    ///   every byte outside printable ASCII percent-encoded, so raw bytes that are not UTF-8
    ///   reach the query parser (which rejects them) instead of becoming U+FFFD here.
    /// - headers: every `HTTP_*` param, lower-cased with `_` → `-`, plus CONTENT_TYPE as
    ///   `content-type` (CGI passes that one without the prefix).
    static func read(from connection: some FastCGIStreams, maxBodyBytes: Int) -> IncomingRequest {
        var method = ""
        var documentURI: String?
        var requestURI: String?
        var query = ""
        var contentLength = ""
        var headers: [String: String] = [:]

        connection.forEachParam { entry in
            guard let equals = entry.firstIndex(of: UInt8(ascii: "=")) else { return }
            let name = UnsafeBufferPointer(rebasing: entry[..<equals])
            let value = UnsafeBufferPointer(rebasing: entry[(equals + 1)...])
            if name.starts(with: httpPrefix) {
                headers[headerName(fromParam: name)] = String(decoding: value, as: UTF8.self)
                return
            }
            switch String(decoding: name, as: UTF8.self) {
            case "REQUEST_METHOD": method = String(decoding: value, as: UTF8.self)
            case "DOCUMENT_URI": documentURI = String(decoding: value, as: UTF8.self)
            case "REQUEST_URI": requestURI = String(decoding: value, as: UTF8.self)
            case "QUERY_STRING": query = percentEncodingNonASCII(value)
            case "CONTENT_TYPE": headers["content-type"] = String(decoding: value, as: UTF8.self)
            case "CONTENT_LENGTH": contentLength = String(decoding: value, as: UTF8.self)
            default: break
            }
        }

        let path: String
        if let documentURI, !documentURI.isEmpty {
            path = documentURI
        } else if let requestURI, !requestURI.isEmpty {
            let rawPath = requestURI.utf8.split(separator: UInt8(ascii: "?"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
            path = percentDecodedPath(rawPath)
        } else {
            path = "/"
        }

        var incoming = IncomingRequest(
            request: HTTPRequest(method: method, path: path, query: query, headers: headers),
            earlyResponse: nil
        )
        switch parseLength(contentLength, limit: maxBodyBytes) {
        case .invalid:
            incoming.earlyResponse = APIError(400, "Invalid Content-Length").response
        case .tooLarge:
            // Not read at all: libfcgi discards the unread stdin records when the request
            // finishes, and nginx already refuses bodies over client_max_body_size.
            incoming.earlyResponse = APIError.payloadTooLarge.response
        case .length(let length):
            let body = connection.readBody(count: length)
            if body.count < length {
                incoming.earlyResponse = APIError(400, "Incomplete request body").response
            } else {
                incoming.request.body = body
            }
        }
        return incoming
    }

    private static let httpPrefix = Array("HTTP_".utf8)

    /// `HTTP_ACCESS_CONTROL_REQUEST_METHOD` → `access-control-request-method`.
    private static func headerName(fromParam name: UnsafeBufferPointer<UInt8>) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(name.count - httpPrefix.count)
        for byte in name.dropFirst(httpPrefix.count) {
            switch byte {
            case UInt8(ascii: "_"): bytes.append(UInt8(ascii: "-"))
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte + 32)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func percentEncodingNonASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var encoded = [UInt8]()
        encoded.reserveCapacity(bytes.count)
        for byte in bytes {
            if (0x21...0x7E).contains(byte) {
                encoded.append(byte)
            } else {
                encoded.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    private enum Length {
        case length(Int)
        case tooLarge
        case invalid
    }

    /// CONTENT_LENGTH: empty or absent means no body; digits only; stops counting past `limit`.
    private static func parseLength(_ text: String, limit: Int) -> Length {
        var value = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return .invalid }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            if value > limit { return .tooLarge }
        }
        return .length(value)
    }

    /// Percent-decodes a raw request path (`+` stays a plus sign: this is a path, not a form).
    /// Keeps the raw text when an escape is malformed or the result is not UTF-8.
    private static func percentDecodedPath<Bytes: Collection<UInt8>>(_ raw: Bytes) -> String {
        PercentEncoding.decode(raw, plusAsSpace: false) ?? String(decoding: raw, as: UTF8.self)
    }
}
