/// A rejected initData. Clients see "Invalid Telegram initData: <reason>", so `reason` is short,
/// lower-case and never contains secrets or expected values.
public struct InitDataError: Error, Equatable, Sendable {
    public let reason: String

    public init(reason: String) { self.reason = reason }
}

/// A verifier setting that is missing or unusable; `message` is meant for the operator.
public struct InitDataConfigurationError: Error, Sendable {
    public let message: String

    public init(message: String) { self.message = message }
}
