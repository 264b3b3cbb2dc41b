extension API {
    /// Opens the connection and loads the city list before the first request arrives, so
    /// that request does not pay for it. A database that is down now is not fatal: requests
    /// answer 503 and retry the connection until it is back.
    public func warmUp() {
        do {
            _ = try cities()
        } catch {
            logLine("srochno-fcgi: database not ready at start-up (will retry per request): \(error)")
        }
    }
}
