import CCurl

/// `curl_global_init` must run once before any handle exists and is not safe to race; a
/// global's initializer runs exactly once, guarded by the runtime, whichever thread gets
/// here first. A forked worker inherits it from the parent.
private let curlGlobalInitCode: UInt32 = srochno_curl_global_init().rawValue

/// A synchronous HTTP(S) client on one libcurl easy handle. The handle keeps its
/// connections (and TLS sessions) between calls, so repeated calls to one host skip the
/// TCP and TLS handshakes; every call otherwise starts from libcurl's defaults
/// (`curl_easy_reset`) and sets all of its options again, so nothing leaks from one call
/// into the next.
///
/// Fixed policy, not options: TLS peer and host verification always on, only `http` and
/// `https`, redirects never followed, no proxy from the environment, timeouts without
/// signals (`CURLOPT_NOSIGNAL`; a signal-based resolver timeout is unsafe in a threaded or
/// forked process), and caller-given connect and total timeouts and body size cap.
///
/// Not thread-safe and not `Sendable`: one owner at a time, created after any `fork`, since
/// a child must not share its parent's open connections.
public final class HTTPClient {
    private let handle: UnsafeMutableRawPointer
    /// libcurl writes its detailed message here during a failing call.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    public init() throws(HTTPClientError) {
        guard curlGlobalInitCode == CURLE_OK.rawValue else {
            throw .other(code: Int(curlGlobalInitCode), message: "curl_global_init failed")
        }
        guard let handle = curl_easy_init() else {
            throw .other(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init failed")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Sends `request` and returns the final response, whatever its status. Throws only when
    /// there is no complete response.
    public func send(_ request: Request, limits: Limits) throws(HTTPClientError) -> Response {
        try Self.validate(request, limits)
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        let sink = TransferSink(limit: limits.maxResponseBytes)
        let headerList = CurlHeaderList()
        let sendsBody = (request.method != .get && request.method != .delete) || !request.body.isEmpty

        try configure(request, limits, sendsBody: sendsBody)
        try setHeaders(request.headers, sendsBody: sendsBody, into: headerList)
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        try check(srochno_curl_set_write_function(handle, CURLOPT_WRITEFUNCTION, writeBody), "write function")
        try check(srochno_curl_set_pointer(handle, CURLOPT_WRITEDATA, sinkPointer), "write data")
        try check(srochno_curl_set_write_function(handle, CURLOPT_HEADERFUNCTION, writeHeader), "header function")
        try check(srochno_curl_set_pointer(handle, CURLOPT_HEADERDATA, sinkPointer), "header data")

        let code: CURLcode = withExtendedLifetime((sink, headerList)) {
            request.body.withUnsafeBytes { body in
                if sendsBody {
                    // POSTFIELDS is not copied: the bytes must outlive the transfer, which
                    // they do inside this closure. An empty body still needs a pointer, or
                    // libcurl would read the body from stdin.
                    let bytes = body.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
                    let sizeSet = srochno_curl_set_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                    guard sizeSet == CURLE_OK else { return sizeSet }
                    let fieldsSet = srochno_curl_set_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes))
                    guard fieldsSet == CURLE_OK else { return fieldsSet }
                }
                return curl_easy_perform(handle)
            }
        }
        // The header list must not outlive its use; drop the handle's reference to it.
        _ = srochno_curl_set_headers(handle, nil)

        guard code == CURLE_OK else { throw error(for: code, sink: sink) }
        var status = 0
        _ = srochno_curl_get_response_code(handle, &status)
        return Response(status: status, headers: sink.headers, body: sink.body)
    }

    private static func validate(_ request: Request, _ limits: Limits) throws(HTTPClientError) {
        guard limits.connectTimeoutMilliseconds > 0, limits.totalTimeoutMilliseconds > 0, limits.maxResponseBytes > 0 else {
            // libcurl reads 0 as "no limit", which is exactly what must not happen.
            throw .invalidRequest("timeouts and the response size limit must be positive")
        }
        guard !request.url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw .invalidRequest("the URL contains spaces or control characters")
        }
        for header in request.headers {
            let nameIsToken = !header.name.isEmpty && header.name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }
            let valueIsSafe = !header.value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
            guard nameIsToken, valueIsSafe else {
                throw .invalidRequest("header \(nameIsToken ? header.name : "name") would split the request")
            }
        }
    }

    private func configure(_ request: Request, _ limits: Limits, sendsBody: Bool) throws(HTTPClientError) {
        try check(srochno_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "error buffer")
        try check(srochno_curl_set_string(handle, CURLOPT_URL, request.url), "URL")
        try check(srochno_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "protocols")
        try check(srochno_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0), "follow location")
        try check(srochno_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, 1), "verify peer")
        try check(srochno_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, 2), "verify host")
        try check(srochno_curl_set_long(handle, CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2)), "TLS version")
        // An empty proxy disables proxies, including http_proxy and friends from the
        // environment: where the bot token goes must not depend on a service's environment.
        try check(srochno_curl_set_string(handle, CURLOPT_PROXY, ""), "proxy")
        try check(srochno_curl_set_long(handle, CURLOPT_NOSIGNAL, 1), "no signal")
        try check(srochno_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, limits.connectTimeoutMilliseconds), "connect timeout")
        try check(srochno_curl_set_long(handle, CURLOPT_TIMEOUT_MS, limits.totalTimeoutMilliseconds), "timeout")
        try check(srochno_curl_set_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(limits.maxResponseBytes)), "size limit")
        try check(srochno_curl_set_string(handle, CURLOPT_USERAGENT, "srochno"), "user agent")
        switch request.method {
        case .get where !sendsBody:
            try check(srochno_curl_set_long(handle, CURLOPT_HTTPGET, 1), "method")
        case .post:
            try check(srochno_curl_set_long(handle, CURLOPT_POST, 1), "method")
        default:
            // With a body libcurl sets it up as a POST; the custom method replaces the verb.
            try check(srochno_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue), "method")
        }
    }

    private func setHeaders(_ headers: [(name: String, value: String)], sendsBody: Bool, into list: CurlHeaderList) throws(HTTPClientError)
    {
        var lines = headers.map { header in
            // "Name:" with nothing after it would remove the header; "Name;" sends it empty.
            header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
        }
        // libcurl otherwise sends `Expect: 100-continue` for bodies over 1 KiB and waits up
        // to a second for a `100` that many servers never send.
        if sendsBody { lines.append("Expect:") }
        for line in lines where !list.append(line) {
            throw .other(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "out of memory building headers")
        }
        try check(srochno_curl_set_headers(handle, list.list), "headers")
    }

    private func check(_ code: CURLcode, _ option: String) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            throw .other(code: Int(code.rawValue), message: "setting \(option) failed: \(String(cString: curl_easy_strerror(code)))")
        }
    }

    private func error(for code: CURLcode, sink: TransferSink) -> HTTPClientError {
        if code == CURLE_FILESIZE_EXCEEDED || (code == CURLE_WRITE_ERROR && sink.exceededLimit) {
            return .responseTooLarge(limit: sink.limit)
        }
        let detail = String(cString: errorBuffer)
        let summary = String(cString: curl_easy_strerror(code))
        let message = redactingBotTokens(detail.isEmpty ? summary : "\(summary): \(detail)")
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(message)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .connectFailed(message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CLIENTCERT:
            return .tlsFailed(message)
        default:
            return .other(code: Int(code.rawValue), message: message)
        }
    }
}

/// libcurl's body callback: returning anything but `size * count` aborts the transfer.
private func writeBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    return sink.appendBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private func writeHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    sink.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
    return length
}
