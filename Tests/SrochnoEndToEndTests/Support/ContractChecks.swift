import Glibc
import SrochnoCore
import SrochnoTelegramAuth
import SrochnoTestSupport
import Testing

/// Checks of the wire contract's error shapes (SPEC §6), shared by the service, user, balance,
/// auth and error suites.
extension HTTPResult {
    /// The `loc` of each FastAPI validation error, as strings (`["body", "amount"]`).
    var validationLocations: [[String]] {
        guard case .array(let errors)? = (try? json())?["detail"] else { return [] }
        return errors.map { error in
            guard case .array(let parts)? = error["loc"] else { return [] }
            return parts.map { part in part.stringValue ?? part.intValue.map(String.init) ?? "?" }
        }
    }

    /// The `type` of each FastAPI validation error.
    var validationTypes: [String] {
        guard case .array(let errors)? = (try? json())?["detail"] else { return [] }
        return errors.map { $0["type"]?.stringValue ?? "?" }
    }

    /// True when the body is a JSON object whose `detail` is a string or a non-empty list.
    var hasDetail: Bool {
        switch (try? json())?["detail"] {
        case .string?: return true
        case .array(let errors)?: return !errors.isEmpty
        default: return false
        }
    }
}

/// Expects `{"detail": "<detail>"}` as JSON with `status`.
func expectDetail(_ response: HTTPResult, _ status: Int, _ detail: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.status == status, "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(response.detail == detail, "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(response.headers["content-type"] == "application/json", sourceLocation: sourceLocation)
}

/// Expects a FastAPI 422 with exactly one error at `location`, optionally of `type`.
func expectValidationError(
    _ response: HTTPResult, at location: [String], type: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == 422, "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(response.validationLocations == [location], "body: \(response.text)", sourceLocation: sourceLocation)
    if let type {
        #expect(response.validationTypes == [type], "body: \(response.text)", sourceLocation: sourceLocation)
    }
    #expect(response.headers["content-type"] == "application/json", sourceLocation: sourceLocation)
}

/// Percent-encodes a query value (every byte outside `A-Za-z0-9-._~`).
func queryEncoded(_ text: String) -> String { PercentEncoding.encode(text) }

/// A JSON document as text, written with the project's writer so strings are escaped correctly.
func jsonText(_ write: (inout JSONWriter) -> Void) -> String {
    var writer = JSONWriter()
    write(&writer)
    return String(decoding: writer.bytes, as: UTF8.self)
}

/// An `Authorization` header for `user` with any Telegram profile fields, signed with `botToken`
/// (the stack's own token unless a test wants a wrong one).
func telegramAuthorization(
    for user: TestUser, firstName: String, lastName: String? = nil, username: String? = nil,
    authDate: Int64 = Int64(time(nil)), botToken: String? = nil
) -> (String, String) {
    let initData = InitDataSigner.hmac(
        botToken: botToken ?? user.botToken,
        fields: [
            ("query_id", "AAH\(user.id)"),
            (
                "user",
                InitDataSigner.userJSON(id: user.id, firstName: firstName, lastName: lastName, username: username, languageCode: "ru")
            ),
            ("auth_date", String(authDate)),
        ])
    return ("Authorization", "Bearer " + initData)
}

/// Seconds on a monotonic clock, for bounding request loops in time.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Sleeps the calling thread (these suites run requests on real threads, not tasks).
func sleepThread(seconds: Double) {
    usleep(useconds_t(seconds * 1_000_000))
}

/// A value shared between the threads of `inParallel`, behind a mutex.
final class SharedBox<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private var mutex = pthread_mutex_t()

    init(_ value: Value) {
        self.value = value
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    func update<T>(_ change: (inout Value) -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return change(&value)
    }

    var current: Value { update { $0 } }
}
