public import SrochnoCore

/// Answers one HTTP request. Each worker process owns exactly one handler, made once after the
/// fork by `runWorkerPool`'s `makeHandler` (so per-process resources such as a database
/// connection are opened in the child), and calls it for one request at a time.
///
/// Errors are the handler's business: it always returns a response. A handler that crashes
/// takes down only its own worker process, which the pool then replaces.
///
/// To name the authenticated user in the request log, set the response's `userID`.
public protocol RequestHandler: AnyObject {
    func handle(_ request: HTTPRequest) -> HTTPResponse
}
