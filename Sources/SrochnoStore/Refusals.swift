/// Why the store declined an order operation. These are expected outcomes, decided under the
/// order's row lock by statements that succeed; the API maps each to its status and text.
public enum OrderRefusal: Error, Equatable, Sendable {
    case notFound
    /// The order's expiry passed.
    case expired
    /// Finished in any other way (closed, completed, deleted).
    case noLongerActive
    case cannotEditTaken
    case cannotDeleteTaken
    /// An update named another city than the order's.
    case cityCannotChange
    case ownOrder
    case executorsFull(maximum: Int64)
    case insufficientBalance(cost: Int64)
    case notTheClient
    case noTakeYet
    case alreadyResponded
    case contactTaken
    case tooManyActiveOrders
}

/// Why the store declined a review or complaint.
public enum ReviewRefusal: Error, Equatable, Sendable {
    case orderNotFoundOrNotClient
    case notFinished
    case noExecutor
    case executorDidNotTake
    case alreadyReviewed
    case didNotTake
    case alreadyComplained
}
