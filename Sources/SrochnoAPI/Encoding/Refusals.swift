import SrochnoCore
import SrochnoStore

/// Every expected refusal of the store as the client sees it (SPEC §6): status and detail.
extension OrderRefusal {
    var apiError: APIError {
        switch self {
        case .notFound: APIError(404, "Order not found")
        case .expired: APIError(410, "Order has expired")
        case .noLongerActive: APIError(410, "Order is no longer active")
        case .cannotEditTaken: APIError(403, "Cannot edit order after executor has taken it")
        case .cannotDeleteTaken: APIError(403, "Cannot delete order after executor has taken it")
        case .cityCannotChange: APIError.invalidField(["body", "city"], "Value error, City cannot be changed", type: "value_error")
        case .ownOrder: APIError(403, "Cannot take your own order")
        case .executorsFull(let maximum): APIError(409, "Maximum \(maximum) executors reached")
        case .insufficientBalance(let cost): APIError(402, "Insufficient balance. Need \(cost)₽")
        case .notTheClient: APIError(403, "Only the order's client can do this")
        case .noTakeYet: APIError(409, "No executor has taken this order yet")
        case .alreadyResponded: APIError(409, "Already responded")
        case .contactTaken: APIError(409, "This contact already has an active order")
        case .tooManyActiveOrders: APIError(409, "Too many active orders")
        }
    }
}

extension ReviewRefusal {
    var apiError: APIError {
        switch self {
        case .orderNotFoundOrNotClient: APIError(404, "Order not found or you are not the client")
        case .notFinished: APIError(400, "Only completed or expired orders can be reviewed")
        case .noExecutor: APIError(400, "No executor has taken this order")
        case .executorDidNotTake: APIError(400, "This executor did not take this order")
        case .alreadyReviewed: APIError(409, "Review already submitted")
        case .didNotTake: APIError(404, "You did not take this order")
        case .alreadyComplained: APIError(409, "Complaint already submitted")
        }
    }
}

/// A store refusal with the API error it answers.
protocol APIRefusal: Error {
    var apiError: APIError { get }
}

extension OrderRefusal: APIRefusal {}
extension ReviewRefusal: APIRefusal {}

extension Result where Failure: APIRefusal {
    /// The value, or the refusal as the API error it answers.
    func orThrow() throws(APIError) -> Success {
        switch self {
        case .success(let value): value
        case .failure(let refusal): throw refusal.apiError
        }
    }
}
