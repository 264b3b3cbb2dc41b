public import SrochnoCore
import SrochnoHTTPClient

/// Calls the Crypto Pay API: `POST {base}/api/{method}` with a JSON body and the app token in
/// the `Crypto-Pay-API-Token` header, one synchronous call at a time on one reused connection.
///
/// Not thread-safe and not `Sendable` (it owns an `HTTPClient`): one per worker process or
/// job, created after any `fork`.
public final class CryptoPayClient {
    private let endpoint: JSONAPIEndpoint

    public init(configuration: CryptoPayConfiguration) throws(CryptoPayError) {
        endpoint = try JSONAPIEndpoint(
            configuration: configuration,
            apiName: "Crypto Pay",
            tokenName: "API token",
            methodPath: { _ in "api/" },
            invalidConfiguration: CryptoPayError.invalidConfiguration,
            transportError: CryptoPayError.transport
        )
    }

    /// Calls `method` (e.g. `getMe`) with `parameters` as a JSON object and returns the
    /// envelope's `result`. Crypto Pay's refusals (`"ok": false`) throw `.api`.
    /// `method` is a Crypto Pay method name, letters only; anything else is a programming error.
    public func call(_ method: String, parameters: [(key: String, value: JSONValue)] = []) throws(CryptoPayError) -> JSONValue {
        do {
            return try endpoint.call(
                method,
                parameters: parameters,
                headers: [(name: "Crypto-Pay-API-Token", value: endpoint.token)],
                transportError: CryptoPayError.transport,
                decode: CryptoPayEnvelope.result
            )
        } catch {
            throw scrubbed(error)
        }
    }

    /// Defense in depth: the token travels only in a header, which no transport message
    /// shows, but an error name Crypto Pay (or a fake) echoes could hold it.
    private func scrubbed(_ error: CryptoPayError) -> CryptoPayError {
        switch error {
        case .api(let code, let name): return .api(code: code, name: endpoint.redactingToken(name))
        case .transport(let error): return .transport(error.mappingMessage(endpoint.redactingToken))
        case .invalidResponse, .invalidConfiguration: return error
        }
    }
}
