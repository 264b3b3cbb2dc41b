import SrochnoCore

struct ReviewImport: Sendable, Equatable {
    let oldID: Int64
    let orderID: String
    let clientID: Int64
    let executorID: Int64
    let rating: Int64
    let comment: String?
    let createdAt: Instant
    let changes: [String]
}

struct ComplaintImport: Sendable, Equatable {
    let oldID: Int64
    let orderID: String
    let executorID: Int64
    let reason: ComplaintReason
    let comment: String?
    let createdAt: Instant
    let changes: [String]
}

/// Reviews and complaints of one imported order. Srochno keeps a review only of a take, on an
/// order stored completed or expired (a trigger checks it), and a complaint only of a take:
/// anything else the old database holds (a review of a deleted order, say) is refused.
enum FeedbackPlanner {
    static let commentLength = 500

    static func complaintReason(_ legacy: String) -> ComplaintReason? {
        switch legacy {
        case "NO_RESPONSE": .noAnswer
        case "CANCELLED_ORDER": .cancelled
        case "INADEQUATE_BEHAVIOR": .rude
        case "FALSE_INFO": .falseInformation
        case "OTHER": .other
        default: nil
        }
    }

    /// A comment Srochno can store, and whether it had to be cut.
    static func comment(_ text: String?) -> (String?, cut: Bool) {
        guard let text, text.codePointCount > commentLength else { return (text, false) }
        return (text.prefix(codePoints: commentLength), true)
    }

    static func review(_ review: LegacyReview, of order: OrderImport) -> Result<ReviewImport, RefusedRow> {
        let refuse = { (reason: String) in Result<ReviewImport, RefusedRow>.failure(RefusedRow(id: String(review.id), reason: reason)) }
        guard order.finalStatus == .completed || order.finalStatus == .expired else {
            return refuse("order stored \(order.finalStatus.rawValue): reviews only of completed or expired orders")
        }
        guard !UserPlanner.isRefused(review.clientID) else { return refuse("client not adopted") }
        guard order.takes.contains(where: { $0.executorID == review.executorID }) else { return refuse("no take of this executor") }
        guard (1...5).contains(review.rating) else { return refuse("rating outside 1-5") }
        let (comment, cut) = Self.comment(review.comment)
        return .success(
            ReviewImport(
                oldID: review.id, orderID: order.id, clientID: review.clientID, executorID: review.executorID, rating: review.rating,
                comment: comment, createdAt: review.createdAt, changes: cut ? ["comment cut to 500 characters"] : []))
    }

    static func complaint(_ complaint: LegacyComplaint, of order: OrderImport) -> Result<ComplaintImport, RefusedRow> {
        let refuse = { (reason: String) in Result<ComplaintImport, RefusedRow>.failure(RefusedRow(id: String(complaint.id), reason: reason))
        }
        guard order.takes.contains(where: { $0.executorID == complaint.executorID }) else { return refuse("no take of this executor") }
        guard let reason = complaintReason(complaint.reason) else { return refuse("unknown complaint reason") }
        let (comment, cut) = Self.comment(complaint.comment)
        return .success(
            ComplaintImport(
                oldID: complaint.id, orderID: order.id, executorID: complaint.executorID, reason: reason, comment: comment,
                createdAt: complaint.createdAt, changes: cut ? ["comment cut to 500 characters"] : []))
    }
}
