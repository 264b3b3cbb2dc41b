extension HTTPClient {
    /// One outbound request. Headers are sent in order as given; libcurl adds `Host`,
    /// `Content-Length` and `Accept`.
    public struct Request: Sendable {
        public enum Method: String, Sendable {
            case get = "GET"
            case post = "POST"
            case put = "PUT"
            case patch = "PATCH"
            case delete = "DELETE"
        }

        public var method: Method
        /// An absolute `http://` or `https://` URL. It may hold a secret (the Bot API token),
        /// so it never appears in an error.
        public var url: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public init(method: Method, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
        }
    }

    /// Bounds of one call, all required: libcurl's defaults are no total timeout and no size
    /// limit, which would let a slow or hostile peer hold a worker forever.
    public struct Limits: Sendable, Equatable {
        public var connectTimeoutMilliseconds: Int
        /// The whole call: connect, TLS, sending and receiving.
        public var totalTimeoutMilliseconds: Int
        /// The largest response body accepted; a longer one aborts the transfer.
        public var maxResponseBytes: Int

        public init(connectTimeoutMilliseconds: Int, totalTimeoutMilliseconds: Int, maxResponseBytes: Int) {
            self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
            self.totalTimeoutMilliseconds = totalTimeoutMilliseconds
            self.maxResponseBytes = maxResponseBytes
        }
    }

    /// The final response (redirects are never followed, so a 3xx is a final response).
    public struct Response: Sendable {
        public let status: Int
        /// Header fields of the final response in the order received, values trimmed.
        public let headers: [(name: String, value: String)]
        public let body: [UInt8]

        public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        /// The last field named `name`, compared without regard to case.
        public func header(_ name: String) -> String? {
            let wanted = name.lowercased()
            return headers.last(where: { $0.name.lowercased() == wanted })?.value
        }

        public var contentType: String? { header("Content-Type") }

        /// `Retry-After` in its delta-seconds form; nil when absent or an HTTP date.
        public var retryAfterSeconds: Int? {
            guard let value = header("Retry-After"), !value.isEmpty, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                return nil
            }
            return Int(value)
        }
    }
}
