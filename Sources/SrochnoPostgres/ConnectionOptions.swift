/// Adds a connect timeout (so a dead host cannot hang a caller) and an application name (so
/// `pg_stat_activity` says who is connected) to either form of libpq connection string.
public func withConnectionOptions(_ conninfo: String, connectTimeout: Int, applicationName: String) -> String {
    let options = [("connect_timeout", String(connectTimeout)), ("application_name", applicationName)]
    if conninfo.hasPrefix("postgres://") || conninfo.hasPrefix("postgresql://") {
        let query = options.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        return conninfo + (conninfo.contains("?") ? "&" : "?") + query
    }
    return conninfo + options.map { " \($0.0)=\($0.1)" }.joined()
}
