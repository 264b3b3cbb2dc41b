import SrochnoCore

// Rows of the old backend's database (alembic head 0c7e1efbbe2a), as the source statements
// read them: enum values are the upper-case names the old backend stored, times are exact.

struct LegacyUser: Sendable, Equatable {
    let id: Int64
    let username: String?
    let firstName: String
    let lastName: String?
    let languageCode: String?
    /// Rubles; not necessarily the sum of the user's old transactions.
    let balance: Int64
    let categories: [String]
    let cities: [String]
    let frequencyMinutes: Int64
    let notificationsEnabled: Bool
    let createdAt: Instant
    let updatedAt: Instant
}

struct LegacyOrder: Sendable, Equatable {
    let id: String
    let clientID: Int64
    let category: String
    let description: String
    let city: String
    /// As the client typed it.
    let contact: String
    /// `ACTIVE`, `EXPIRED`, `DELETED`, `CLOSED_NO_RESPONSE` or `COMPLETED`, as last stored.
    let status: String
    let lifetimeMinutes: Int64
    let createdAt: Instant
    let updatedAt: Instant
    let respondedAt: Instant?
}

/// What the contact-uniqueness decision needs of an order stored `ACTIVE`.
struct LegacyActiveOrder: Sendable, Equatable {
    let id: String
    let contact: String
    let createdAt: Instant
}

struct LegacyTake: Sendable, Equatable {
    let id: Int64
    let orderID: String
    let executorID: Int64
    let takenAt: Instant
}

struct LegacyReview: Sendable, Equatable {
    let id: Int64
    let orderID: String
    let clientID: Int64
    let executorID: Int64
    let rating: Int64
    let comment: String?
    let createdAt: Instant
}

struct LegacyComplaint: Sendable, Equatable {
    let id: Int64
    let orderID: String
    let executorID: Int64
    /// `NO_RESPONSE`, `CANCELLED_ORDER`, `INADEQUATE_BEHAVIOR`, `FALSE_INFO` or `OTHER`.
    let reason: String
    let comment: String?
    let createdAt: Instant
}

struct LegacyTransaction: Sendable, Equatable {
    let id: Int64
    let userID: Int64
    /// `RECHARGE`, `ORDER_TAKE` or `REFUND`.
    let type: String
    let amount: Int64
    let balanceAfter: Int64
    let orderID: String?
    let description: String?
    let createdAt: Instant
}

struct LegacyInvoice: Sendable, Equatable {
    let id: Int64
    let userID: Int64
    /// Crypto Pay's invoice id.
    let cryptoPayInvoiceID: Int64?
    let amount: Int64
    /// `PENDING`, `PAID` or `EXPIRED`.
    let status: String
    let payURL: String?
    let miniAppInvoiceURL: String?
    let createdAt: Instant
    /// The old ledger already holds this invoice's money (a recharge naming it, or the
    /// invoice's own link to one) although the invoice still says pending.
    let creditedInOldLedger: Bool
}
