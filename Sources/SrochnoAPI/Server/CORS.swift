import SrochnoCore

/// CORS for the configured Mini App origins (SPEC §6): allowed origins are echoed with
/// credentials; other origins get no CORS headers at all.
struct CORSPolicy {
    let allowedOrigins: Set<String>

    init(origins: [String]) {
        allowedOrigins = Set(origins)
    }

    func allows(_ origin: String) -> Bool {
        allowedOrigins.contains(origin)  // a wildcard is refused at start-up (Settings)
    }

    func isPreflight(_ request: HTTPRequest) -> Bool {
        request.method == "OPTIONS" && request.header("origin") != nil
            && request.header("access-control-request-method") != nil
    }

    func preflightResponse(_ request: HTTPRequest) -> HTTPResponse {
        guard let origin = request.header("origin"), allows(origin) else {
            return APIError(400, "Disallowed CORS origin").response
        }
        var response = HTTPResponse(status: 204)
        decorate(&response, origin: origin)
        response.headers.append(("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS"))
        if let requested = request.header("access-control-request-headers"), !requested.isEmpty {
            response.headers.append(("Access-Control-Allow-Headers", requested))
        }
        response.headers.append(("Access-Control-Max-Age", "600"))
        return response
    }

    func apply(to response: inout HTTPResponse, for request: HTTPRequest) {
        guard let origin = request.header("origin"), allows(origin) else { return }
        decorate(&response, origin: origin)
    }

    private func decorate(_ response: inout HTTPResponse, origin: String) {
        response.headers.append(("Access-Control-Allow-Origin", origin))
        response.headers.append(("Access-Control-Allow-Credentials", "true"))
        response.headers.append(("Vary", "Origin"))
    }
}
