/// The old tables, by the names the report, the bookkeeping tables and the notes use.
enum LegacyTable: String, CaseIterable, Sendable {
    case users
    case orders
    case executorTakes = "executor_takes"
    case clientReviews = "client_reviews"
    case executorComplaints = "executor_complaints"
    case balanceTransactions = "balance_transactions"
    case paymentInvoices = "payment_invoices"
}

/// What became of an old row (`adoption_counts.outcome`). Every row read is imported or
/// skipped or refused; a changed row is also imported, stored other than the old one had it.
enum RowOutcome: String, CaseIterable, Sendable {
    case read
    case imported
    case changed
    /// Not imported by design: nothing of it is left to carry (an invoice already paid).
    case skipped
    /// Could not be imported under Srochno's rules.
    case refused
}
