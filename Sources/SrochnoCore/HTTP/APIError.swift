/// One entry of a FastAPI-shaped validation error: `{"loc": [...], "msg": "...", "type": "..."}`.
public struct FieldError: Equatable, Sendable {
    public var location: [String]
    public var message: String
    public var type: String

    public init(_ location: [String], _ message: String, type: String) {
        self.location = location
        self.message = message
        self.type = type
    }
}

/// The one error type of the API. Every failure a handler can produce maps to an HTTP status
/// and a `{"detail": …}` body, so no path can answer with anything else.
public struct APIError: Error, Equatable, Sendable {
    public enum Detail: Equatable, Sendable {
        case message(String)
        case validation([FieldError])
    }

    public var status: Int
    public var detail: Detail
    public var headers: [String: String]

    public init(_ status: Int, _ message: String, headers: [String: String] = [:]) {
        self.status = status
        self.detail = .message(message)
        self.headers = headers
    }

    public init(validation errors: [FieldError]) {
        self.status = 422
        self.detail = .validation(errors)
        self.headers = [:]
    }

    public static let notFound = APIError(404, "Not Found")
    public static let methodNotAllowed = APIError(405, "Method Not Allowed")
    public static let notAuthenticated = APIError(401, "Not authenticated", headers: ["WWW-Authenticate": "Bearer"])
    public static let unavailable = APIError(503, "Service temporarily unavailable")
    public static let internalError = APIError(500, "Internal Server Error")
    public static let payloadTooLarge = APIError(413, "Request body too large")

    public static func invalidInitData(_ reason: String) -> APIError {
        APIError(401, "Invalid Telegram initData: \(reason)", headers: ["WWW-Authenticate": "Bearer"])
    }

    public static func invalidField(_ location: [String], _ message: String, type: String) -> APIError {
        APIError(validation: [FieldError(location, message, type: type)])
    }

    public var response: HTTPResponse {
        var response = HTTPResponse.json(status) { json in
            json.beginObject()
            json.key("detail")
            switch detail {
            case .message(let text):
                json.value(text)
            case .validation(let errors):
                json.beginArray()
                for error in errors {
                    json.beginObject()
                    json.key("loc")
                    json.beginArray()
                    for part in error.location {
                        if let index = Int64(part) { json.value(index) } else { json.value(part) }
                    }
                    json.endArray()
                    json.key("msg")
                    json.value(error.message)
                    json.key("type")
                    json.value(error.type)
                    json.endObject()
                }
                json.endArray()
            }
            json.endObject()
        }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            response.headers.append((name, value))
        }
        return response
    }
}
