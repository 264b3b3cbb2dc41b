public import SrochnoConfig

/// The order rules an imported order is stored under, the ones the API applies: the old
/// backend had the same (a 15-minute no-response window, 3 executors, 2 ₽ a take, charged and
/// refunded as that constant).
public struct AdoptionRules: Sendable, Equatable {
    public var noResponseMinutes: Int
    public var maxExecutors: Int
    /// What each imported take paid, and what a refund of it returns.
    public var takeCost: Int64
    /// The lifetime of an old order that stored none.
    public var orderLifetimeMinutes: Int

    public init(noResponseMinutes: Int = 15, maxExecutors: Int = 3, takeCost: Int64 = 2, orderLifetimeMinutes: Int = 60) {
        self.noResponseMinutes = noResponseMinutes
        self.maxExecutors = maxExecutors
        self.takeCost = takeCost
        self.orderLifetimeMinutes = orderLifetimeMinutes
    }

    public init(settings: Settings) {
        self.init(
            noResponseMinutes: settings.noResponseMinutes, maxExecutors: settings.maxExecutors, takeCost: settings.takeCost,
            orderLifetimeMinutes: settings.orderLifetimeMinutes)
    }
}
