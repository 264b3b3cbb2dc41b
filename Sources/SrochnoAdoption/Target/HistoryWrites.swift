import SrochnoCore
import SrochnoPostgres
import SrochnoStore  // timestamps as statement parameters

/// A batch of old transactions as history, keyed by their old id. Returns the ids written.
struct InsertLegacyTransactions: PostgresStatement {
    static let statement = PreparedStatement(
        "adopt_insert_legacy_transactions",
        """
        INSERT INTO legacy_transactions (id, user_id, type, amount, balance_after, order_id, description, created_at)
        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[],
                             $8::timestamptz[])
        ON CONFLICT (id) DO NOTHING
        RETURNING id
        """)
    let transactions: [TransactionImport]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] {
        [
            ArrayParameter(transactions.map(\.id)), ArrayParameter(transactions.map(\.userID)),
            ArrayParameter(transactions.map(\.type)), ArrayParameter(transactions.map(\.amount)),
            ArrayParameter(transactions.map(\.balanceAfter)), ArrayParameter(transactions.map(\.orderID)),
            ArrayParameter(transactions.map(\.description)), ArrayParameter(transactions.map(\.createdAt)),
        ]
    }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Int64 { try row.int(0) }
}

/// A batch of pending Crypto Pay invoices as pending payments: the webhook or the
/// reconciliation credits each once when it is paid (`PaymentBook`). Returns the old invoice
/// ids written.
struct InsertAdoptedPayments: PostgresStatement {
    static let statement = PreparedStatement(
        "adopt_insert_payments",
        """
        INSERT INTO payments (user_id, provider, amount, status, external_id, pay_url, mini_app_invoice_url, created_at,
                              expires_at, legacy_invoice_id)
        SELECT p.user_id, 'crypto_bot', p.amount, 'pending', p.external_id, p.pay_url, p.mini_app_invoice_url, p.created_at,
               p.expires_at, p.legacy_id
          FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                      $8::bigint[])
               AS p (user_id, amount, external_id, pay_url, mini_app_invoice_url, created_at, expires_at, legacy_id)
         ORDER BY p.legacy_id
        ON CONFLICT DO NOTHING
        RETURNING legacy_invoice_id
        """)
    let invoices: [InvoiceImport]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] {
        [
            ArrayParameter(invoices.map(\.userID)), ArrayParameter(invoices.map(\.amount)),
            ArrayParameter(invoices.map { String($0.cryptoPayInvoiceID) }), ArrayParameter(invoices.map(\.payURL)),
            ArrayParameter(invoices.map(\.miniAppInvoiceURL)), ArrayParameter(invoices.map(\.createdAt)),
            ArrayParameter(invoices.map(\.expiresAt)), ArrayParameter(invoices.map(\.legacyID)),
        ]
    }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Int64 { try row.int(0) }
}
