import CCurl

/// Owns one `curl_slist` of request header lines and frees it when released; libcurl reads
/// the list during the transfer only, so it lives exactly as long as one call.
final class CurlHeaderList {
    private(set) var list: UnsafeMutablePointer<curl_slist>?

    init() {}

    deinit { curl_slist_free_all(list) }

    /// libcurl copies the line. Nil when it could not allocate.
    func append(_ line: String) -> Bool {
        guard let extended = curl_slist_append(list, line) else { return false }
        list = extended
        return true
    }
}
