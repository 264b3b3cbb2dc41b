public import SrochnoCore
public import SrochnoPostgres
import SrochnoStore  // timestamps as statement parameters

/// Rows of the old backend's database as a test writes them, with every field the old schema
/// has; `insert` writes them in foreign-key order and returns the transactions' serial ids.
public struct LegacyRows: Sendable {
    public struct User: Sendable {
        public var id: Int64
        public var username: String?
        public var firstName: String
        public var lastName: String? = nil
        public var balance: Int64
        /// The drifting counters of the old users table, never read by adopt.
        public var completedCount: Int64 = 0
        public var activeCount: Int64 = 0
        public var categories: [String] = []
        public var cities: [String] = []
        public var frequency: Int64 = 10
        public var notificationsEnabled = false
        public var createdAt: Instant

        public init(id: Int64, username: String?, firstName: String, balance: Int64, createdAt: Instant) {
            self.id = id
            self.username = username
            self.firstName = firstName
            self.balance = balance
            self.createdAt = createdAt
        }
    }

    public struct Order: Sendable {
        public var id: String
        public var clientID: Int64
        public var category = "Сантехника"
        public var description = "Срочно нужен сантехник: течёт труба под раковиной на кухне"
        public var city: String
        public var contact: String
        /// `ACTIVE`, `EXPIRED`, `DELETED`, `CLOSED_NO_RESPONSE` or `COMPLETED`.
        public var status: String
        public var lifetimeMinutes: Int64 = 60
        public var createdAt: Instant
        public var updatedAt: Instant
        public var respondedAt: Instant? = nil

        public init(id: String, clientID: Int64, city: String, contact: String, status: String, createdAt: Instant) {
            self.id = id
            self.clientID = clientID
            self.city = city
            self.contact = contact
            self.status = status
            self.createdAt = createdAt
            self.updatedAt = createdAt.adding(minutes: 61)
        }
    }

    public struct Take: Sendable {
        public var orderID: String
        public var executorID: Int64
        public var takenAt: Instant

        public init(orderID: String, executorID: Int64, takenAt: Instant) {
            self.orderID = orderID
            self.executorID = executorID
            self.takenAt = takenAt
        }
    }

    public struct Review: Sendable {
        public var orderID: String
        public var clientID: Int64
        public var executorID: Int64
        public var rating: Int64
        public var comment: String?
        public var createdAt: Instant

        public init(orderID: String, clientID: Int64, executorID: Int64, rating: Int64, comment: String?, createdAt: Instant) {
            self.orderID = orderID
            self.clientID = clientID
            self.executorID = executorID
            self.rating = rating
            self.comment = comment
            self.createdAt = createdAt
        }
    }

    public struct Complaint: Sendable {
        public var orderID: String
        public var executorID: Int64
        public var clientID: Int64
        public var reason: String
        public var comment: String?
        public var createdAt: Instant

        public init(orderID: String, executorID: Int64, clientID: Int64, reason: String, comment: String?, createdAt: Instant) {
            self.orderID = orderID
            self.executorID = executorID
            self.clientID = clientID
            self.reason = reason
            self.comment = comment
            self.createdAt = createdAt
        }
    }

    public struct Transaction: Sendable {
        public var userID: Int64
        /// `RECHARGE`, `ORDER_TAKE` or `REFUND`.
        public var type: String
        public var amount: Int64
        public var balanceAfter: Int64
        public var orderID: String? = nil
        public var method: String? = nil
        public var externalID: String? = nil
        public var description: String?
        public var createdAt: Instant

        public init(userID: Int64, type: String, amount: Int64, balanceAfter: Int64, description: String?, createdAt: Instant) {
            self.userID = userID
            self.type = type
            self.amount = amount
            self.balanceAfter = balanceAfter
            self.description = description
            self.createdAt = createdAt
        }
    }

    public struct Invoice: Sendable {
        public var userID: Int64
        public var cryptoPayID: Int64?
        public var amount: Int64
        /// `PENDING`, `PAID` or `EXPIRED`.
        public var status: String
        public var payURL: String?
        public var createdAt: Instant
        /// Index into `transactions` of the recharge the old webhook linked to it.
        public var transaction: Int? = nil

        public init(userID: Int64, cryptoPayID: Int64?, amount: Int64, status: String, payURL: String?, createdAt: Instant) {
            self.userID = userID
            self.cryptoPayID = cryptoPayID
            self.amount = amount
            self.status = status
            self.payURL = payURL
            self.createdAt = createdAt
        }
    }

    public var users: [User] = []
    public var orders: [Order] = []
    public var takes: [Take] = []
    public var reviews: [Review] = []
    public var complaints: [Complaint] = []
    public var transactions: [Transaction] = []
    public var invoices: [Invoice] = []

    public init() {}

    /// Writes every row; returns the serial ids of `transactions` and `invoices`, in order.
    @discardableResult
    public func insert(into db: PostgresConnection) throws -> (transactions: [Int64], invoices: [Int64]) {
        try db.transaction {
            for user in users {
                try db.execute(
                    sql: """
                        INSERT INTO users (id, username, first_name, last_name, language_code, balance, completed_orders_count,
                                           active_orders_count, average_rating, subscribed_categories, subscribed_cities,
                                           notification_frequency_minutes, notifications_enabled, created_at, updated_at)
                        VALUES ($1::bigint, $2, $3, $4, 'ru', $5::integer, $6::integer, $7::integer, 4.5, $8::varchar[], $9::varchar[],
                                $10::integer, $11::boolean, $12::timestamptz, $12::timestamptz)
                        """,
                    [
                        user.id, user.username, user.firstName, user.lastName, user.balance, user.completedCount, user.activeCount,
                        user.categories, user.cities, user.frequency, user.notificationsEnabled, user.createdAt,
                    ])
            }
            for order in orders {
                try db.execute(
                    sql: """
                        INSERT INTO orders (id, client_id, category, description, city, contact, status, city_locked,
                                            expires_in_minutes, created_at, updated_at, customer_responded_at)
                        VALUES ($1, $2::bigint, $3, $4, $5, $6, $7::orderstatus, true, $8::integer, $9::timestamptz, $10::timestamptz,
                                $11::timestamptz)
                        """,
                    [
                        order.id, order.clientID, order.category, order.description, order.city, order.contact, order.status,
                        order.lifetimeMinutes, order.createdAt, order.updatedAt, order.respondedAt,
                    ])
            }
            for take in takes {
                try db.execute(
                    sql: "INSERT INTO executor_takes (order_id, executor_id, taken_at) VALUES ($1, $2::bigint, $3::timestamptz)",
                    [take.orderID, take.executorID, take.takenAt])
            }
            for review in reviews {
                try db.execute(
                    sql: """
                        INSERT INTO client_reviews (order_id, client_id, executor_id, rating, comment, created_at)
                        VALUES ($1, $2::bigint, $3::bigint, $4::integer, $5, $6::timestamptz)
                        """, [review.orderID, review.clientID, review.executorID, review.rating, review.comment, review.createdAt])
            }
            for complaint in complaints {
                try db.execute(
                    sql: """
                        INSERT INTO executor_complaints (order_id, executor_id, client_id, complaint, comment, created_at)
                        VALUES ($1, $2::bigint, $3::bigint, $4::complaintreason, $5, $6::timestamptz)
                        """,
                    [complaint.orderID, complaint.executorID, complaint.clientID, complaint.reason, complaint.comment, complaint.createdAt])
            }
            var transactionIDs: [Int64] = []
            for transaction in transactions {
                let inserted = try db.execute(
                    sql: """
                        INSERT INTO balance_transactions (user_id, type, amount, balance_after, order_id, payment_method,
                                                          external_transaction_id, description, created_at)
                        VALUES ($1::bigint, $2::transactiontype, $3::integer, $4::integer, $5, $6, $7, $8, $9::timestamptz)
                        RETURNING id
                        """,
                    [
                        transaction.userID, transaction.type, transaction.amount, transaction.balanceAfter, transaction.orderID,
                        transaction.method, transaction.externalID, transaction.description, transaction.createdAt,
                    ])
                transactionIDs.append(inserted.int(0, 0) ?? -1)
            }
            var invoiceIDs: [Int64] = []
            for invoice in invoices {
                let inserted = try db.execute(
                    sql: """
                        INSERT INTO payment_invoices (user_id, crypto_bot_invoice_id, amount, status, pay_url, balance_transaction_id,
                                                      paid_at, created_at)
                        VALUES ($1::bigint, $2::integer, $3::integer, $4::invoicestatus, $5, $6::integer,
                                CASE WHEN $4 = 'PAID' THEN $7::timestamptz END, $7::timestamptz)
                        RETURNING id
                        """,
                    [
                        invoice.userID, invoice.cryptoPayID, invoice.amount, invoice.status, invoice.payURL,
                        invoice.transaction.map { transactionIDs[$0] }, invoice.createdAt,
                    ])
                invoiceIDs.append(inserted.int(0, 0) ?? -1)
            }
            return (transactionIDs, invoiceIDs)
        }
    }
}
