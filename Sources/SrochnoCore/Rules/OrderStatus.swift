public enum OrderStatus: String, CaseIterable, Sendable {
    case active
    case expired
    case deleted
    case closedNoResponse = "closed_no_response"
    case completed
}

/// The timestamps that decide an order's effective status (SPEC §4).
public struct OrderTimeline: Equatable, Sendable {
    public var storedStatus: OrderStatus
    public var expiresAt: Instant
    /// First take + the no-response window, while the client has not responded.
    public var noResponseAt: Instant?

    public init(storedStatus: OrderStatus, expiresAt: Instant, noResponseAt: Instant?) {
        self.storedStatus = storedStatus
        self.expiresAt = expiresAt
        self.noResponseAt = noResponseAt
    }

    /// The moment a stored `active` order stops being active.
    public var dueAt: Instant { noResponseAt.map { min($0, expiresAt) } ?? expiresAt }

    /// Whichever due moment comes first decides; a no-response moment that coincides with the
    /// expiry wins, so the executors who paid are refunded.
    public func effectiveStatus(at now: Instant) -> OrderStatus {
        guard storedStatus == .active, dueAt <= now else { return storedStatus }
        if let noResponseAt, noResponseAt <= expiresAt { return .closedNoResponse }
        return .expired
    }
}
