import SrochnoCore
import SrochnoPostgres

/// One ledger row that credits a payment, as the database holds it.
struct PaymentCredit: Equatable, Sendable {
    let userID: Int64
    let type: String
    let amount: Int64
    let provider: String?
    let externalID: String?
}

/// Direct reads and arrangements of payments, for what the API cannot show (the ledger rows
/// behind a credit) or cannot arrange without a provider (a pending payment for the webhook
/// tests, which then need no fake and may run in parallel with everything else).
extension PaymentStack {
    /// Every ledger row naming the payment, oldest first.
    func credits(ofPayment id: Int64) throws -> [PaymentCredit] {
        let rows = try stack.database().execute(
            sql: "SELECT user_id, type, amount, provider, external_id FROM balance_transactions WHERE payment_id = $1::bigint ORDER BY id",
            [id])
        return (0..<rows.rowCount).map {
            PaymentCredit(
                userID: rows.int($0, 0) ?? 0, type: rows.string($0, 1) ?? "", amount: rows.int($0, 2) ?? 0, provider: rows.string($0, 3),
                externalID: rows.string($0, 4))
        }
    }

    /// Payments of `user` a later webhook could still credit: stored `pending`.
    func pendingPaymentCount(of user: TestUser) throws -> Int64 {
        try stack.database().execute(
            sql: "SELECT count(*) FROM payments WHERE user_id = $1::bigint AND status = 'pending'", [user.id]
        ).int(0, 0) ?? -1
    }

    /// A payable payment as the API would have stored it once the provider made the invoice:
    /// Crypto Pay's with its invoice id as external id, a Stars one with its price and no
    /// external id yet. The user is made known to the API first (the row is created on sight).
    func insertPendingPayment(
        for user: TestUser, provider: PaymentProvider, amount: Int64, invoiceID: Int64? = nil
    ) throws -> Int64 {
        _ = try client.get("/api/balance", as: user)
        let stars: Int64? = provider == .stars ? Self.stars(forRubles: amount) : nil
        let result = try stack.database().execute(
            sql: """
                INSERT INTO payments (user_id, provider, amount, stars, status, external_id, pay_url, created_at, expires_at)
                VALUES ($1::bigint, $2, $3::bigint, $4::bigint, 'pending', $5, $6, now(), now() + interval '30 minutes')
                RETURNING id
                """,
            [user.id, provider.rawValue, amount, stars, invoiceID.map(String.init), "https://t.me/fake-invoice"])
        guard let id = result.int(0, 0) else { throw HTTPClientError(description: "payment insert returned no id") }
        return id
    }

    /// Moves a payment `minutes` into the past, e.g. past its 30 minutes to expire it.
    func age(payment id: Int64, byMinutes minutes: Int) throws {
        try stack.database().execute(
            sql: """
                UPDATE payments SET created_at = created_at - make_interval(mins => $2::integer),
                       expires_at = expires_at - make_interval(mins => $2::integer)
                 WHERE id = $1::bigint
                """, [id, minutes])
    }

    /// A random Crypto Pay invoice id far from the fakes' (which start below 10^9), so a
    /// reconciliation run never finds a fake's invoice under an arranged payment.
    static func arrangedInvoiceID() -> Int64 { Int64.random(in: 100_000_000_000...900_000_000_000) }
}
