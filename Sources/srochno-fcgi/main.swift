import Glibc
import SrochnoAPI
import SrochnoConfig
import SrochnoCore
import SrochnoFastCGI
import SrochnoStore
import SrochnoSystem

// srochno-fcgi [--version]: the FastCGI worker pool. Reads static configuration once, then pre-forks
// SROCHNO_WORKERS workers on SROCHNO_LISTEN (a unix socket path) or on the inherited fd 0.

final class APIRequestHandler: RequestHandler {
    private let api: API

    init(api: API) {
        self.api = api
    }

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        api.handle(request)
    }
}

// `--version`: the release (the top-level VERSION file, compiled in) and exit.
if CommandLine.arguments.count == 2, CommandLine.arguments[1] == "--version" {
    print(BuildVersion.line(program: "srochno-fcgi"))
    exit(0)
}

// Hidden tool flag (not for production use): `--print-sql NAME` prints the SQL of a prepared
// statement and exits, so scripts/bench can run the same query through pgbench.
if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "--print-sql" {
    guard let sql = StatementCatalog.sql(named: CommandLine.arguments[2]) else {
        StandardError.write(
            line:
                "srochno-fcgi: unknown statement \(CommandLine.arguments[2]); known: \(StatementCatalog.names.joined(separator: ", ")), or a prepared statement's name: \(StatementCatalog.preparedNames.joined(separator: ", "))"
        )
        exit(2)
    }
    print(sql)
    exit(0)
}

let settings: Settings
do {
    settings = try ConfigLoader.load()
    _ = try API(settings: settings)  // fail before forking when the auth settings are unusable
} catch {
    StandardError.write(line: "srochno-fcgi: configuration error: \(error)")
    exit(2)
}

let options = WorkerPoolOptions(
    listen: settings.listenPath.map { .unixSocket(path: $0, backlog: 1024) } ?? .inherited,
    workers: settings.workers,
    maxBodyBytes: 64 * 1024,
    socketMode: settings.listenMode
)

exit(
    runWorkerPool(options) {
        // Cannot fail: the same settings were accepted above.
        let api = try! API(settings: settings)
        api.warmUp()
        return APIRequestHandler(api: api)
    })
