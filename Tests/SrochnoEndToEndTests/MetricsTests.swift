import Foundation
import SrochnoCore
import SrochnoTestSupport
import Testing

/// `GET /metrics` through nginx: the text format, numbers that follow what the API does, and
/// the loopback rule (the database going away is in `FaultTests`). scripts/test runs this
/// suite on its own after the others (with the fault tests): its numbers are totals over the
/// whole database, so another suite's order or payment would move them.
@Suite(.serialized) struct MetricsTests {
    let payments: PaymentStack
    var stack: TestStack { payments.stack }

    init() throws {
        payments = try PaymentStack()
    }

    @Test func metricsAreTheTextFormatWithEverySeriesDocumented() throws {
        let response = try stack.client.get("/metrics")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        let metrics = try PrometheusScrape(response.text)
        #expect(metrics.types["srochno_database_up"] == "gauge")
        #expect(metrics["srochno_database_up"] == 1)
        #expect(metrics["srochno_build_info{version=\"\(BuildVersion.string)\"}"] == 1)
        for status in OrderStatus.allCases { #expect(metrics["srochno_orders{status=\"\(status.rawValue)\"}"] != nil) }
        for provider in ["crypto_bot", "stars", "none"] { #expect(metrics["srochno_topups_total{provider=\"\(provider)\"}"] != nil) }
        for name in [
            "srochno_takes_total", "srochno_takes_rubles_total", "srochno_refunds_total", "srochno_refunds_rubles_total",
            "srochno_notification_outbox", "srochno_notification_outbox_oldest_age_seconds", "srochno_closer_lag_seconds",
            "srochno_orders_unsettled", "srochno_payments_creating", "srochno_orders_created_total",
        ] {
            #expect(metrics[name] != nil, "\(name)")
        }
        // The newest file of sql/ is the version reported.
        let newest = try #require(try Self.migrationFiles().last)
        #expect(metrics["srochno_schema_migration_version"] == Double(Int(newest.prefix(4)) ?? -1))
        // HEAD describes the same document without it.
        let head = try stack.client.send("HEAD", "/metrics")
        #expect(head.status == 200 && head.body.isEmpty)
    }

    /// The totals agree with a full count of the tables at the same moment (nothing else
    /// writes while this suite runs).
    @Test func metricsAgreeWithAFullCount() throws {
        let client = TestUser(stack, firstName: "Клиент")
        let order = try stack.createOrder(by: client)
        try stack.age(order: order, byMinutes: 61)  // due, unsettled: counted as expired
        let metrics = try PrometheusScrape(try stack.client.get("/metrics").text)
        let db = try stack.database()
        let effective = try db.execute(
            sql: """
                SELECT order_effective_status(status, due_at, no_response_at, expires_at, now()), count(*) FROM orders GROUP BY 1
                """)
        var counted: [String: Double] = [:]
        for row in 0..<effective.rowCount { counted[effective.string(row, 0) ?? ""] = Double(effective.int(row, 1) ?? 0) }
        for status in OrderStatus.allCases {
            #expect(metrics["srochno_orders{status=\"\(status.rawValue)\"}"] == counted[status.rawValue] ?? 0, "\(status)")
        }
        let ledger = try db.execute(
            sql: """
                SELECT type || ':' || COALESCE(provider, 'none'), count(*), sum(abs(amount)) FROM balance_transactions GROUP BY 1
                """)
        var entries: [String: (Double, Double)] = [:]
        for row in 0..<ledger.rowCount {
            entries[ledger.string(row, 0) ?? ""] = (Double(ledger.int(row, 1) ?? 0), Double(ledger.int(row, 2) ?? 0))
        }
        #expect(metrics["srochno_takes_total"] == entries["order_take:none"]?.0 ?? 0)
        #expect(metrics["srochno_takes_rubles_total"] == entries["order_take:none"]?.1 ?? 0)
        #expect(metrics["srochno_refunds_total"] == entries["refund:none"]?.0 ?? 0)
        #expect(metrics["srochno_refunds_rubles_total"] == entries["refund:none"]?.1 ?? 0)
        for provider in ["crypto_bot", "stars", "none"] {
            #expect(metrics["srochno_topups_total{provider=\"\(provider)\"}"] == entries["recharge:\(provider)"]?.0 ?? 0)
            #expect(metrics["srochno_topups_rubles_total{provider=\"\(provider)\"}"] == entries["recharge:\(provider)"]?.1 ?? 0)
        }
        #expect(try metrics["srochno_orders_created_total"] == Double(db.execute(sql: "SELECT count(*) FROM orders").int(0, 0) ?? -1))
        let unsettled = try db.execute(sql: "SELECT count(*) FROM orders WHERE status = 'active' AND due_at <= now()").int(0, 0) ?? -1
        #expect(metrics["srochno_orders_unsettled"] == Double(unsettled))
        #expect((metrics["srochno_closer_lag_seconds"] ?? 0) >= 60)
    }

    /// Create, take, refund (the closer settling an unanswered order) and a paid top-up each
    /// move exactly their series.
    @Test func numbersFollowCreateTakeRefundAndTopUp() throws {
        try runCloser()  // settles whatever earlier suites left due, so the lag starts at 0
        let client = TestUser(stack, firstName: "Клиент")
        let executor = TestUser(stack, firstName: "Мастер")
        var last = try scrape()
        #expect(last["srochno_closer_lag_seconds"] == 0)
        #expect(last["srochno_orders_unsettled"] == 0)

        try stack.fund(executor, 10)
        var now = try scrape()
        expectChanges(
            from: last, to: now,
            ["srochno_topups_total{provider=\"none\"}": 1, "srochno_topups_rubles_total{provider=\"none\"}": 10])
        last = now

        let order = try stack.createOrder(by: client)
        now = try scrape()
        // No sender runs in the test stack: the order stays in the outbox.
        expectChanges(
            from: last, to: now,
            ["srochno_orders{status=\"active\"}": 1, "srochno_orders_created_total": 1, "srochno_notification_outbox": 1])
        last = now

        #expect(try OrderAPI(stack).take(order, as: executor).status == 200)
        now = try scrape()
        expectChanges(from: last, to: now, ["srochno_takes_total": 1, "srochno_takes_rubles_total": 2])
        last = now

        // 16 minutes later the client has not responded: closed_no_response at once (lazily),
        // settled with its refund when the closer runs.
        try stack.age(order: order, byMinutes: 16)
        now = try scrape()
        expectChanges(
            from: last, to: now,
            [
                "srochno_orders{status=\"active\"}": -1, "srochno_orders{status=\"closed_no_response\"}": 1,
                "srochno_orders_unsettled": 1,
            ])
        #expect((now["srochno_closer_lag_seconds"] ?? 0) >= 60)
        last = now
        try runCloser()
        now = try scrape()
        expectChanges(from: last, to: now, ["srochno_refunds_total": 1, "srochno_refunds_rubles_total": 2, "srochno_orders_unsettled": -1])
        #expect(now["srochno_closer_lag_seconds"] == 0)
        last = now

        // A Crypto Pay top-up: pending while its invoice may be paid, then credited by the webhook.
        let invoiceID = PaymentStack.arrangedInvoiceID()
        let payment = try payments.insertPendingPayment(for: client, provider: .cryptoBot, amount: 150, invoiceID: invoiceID)
        now = try scrape()
        expectChanges(from: last, to: now, ["srochno_payments_pending{provider=\"crypto_bot\"}": 1])
        last = now
        let moment = Instant(seconds: Int64(time(nil)))
        let invoice = FakeCryptoPay.Invoice(
            invoiceID: invoiceID, status: .paid, amount: "150", description: "Пополнение баланса", payload: String(payment),
            createdAt: moment.adding(minutes: -1), expiresAt: moment.adding(minutes: 29), paidAt: moment)
        let webhook = SignedCryptoPayWebhook.invoicePaid(
            invoice, token: payments.cryptoPayToken, updateID: Int64.random(in: 1...1_000_000_000), requestDate: moment)
        #expect(try payments.deliver(webhook).status == 200)
        now = try scrape()
        expectChanges(
            from: last, to: now,
            [
                "srochno_payments_pending{provider=\"crypto_bot\"}": -1, "srochno_topups_total{provider=\"crypto_bot\"}": 1,
                "srochno_topups_rubles_total{provider=\"crypto_bot\"}": 150,
            ])
    }

    /// 127.0.0.2 is loopback but not 127.0.0.1: `allow 127.0.0.1; deny all` refuses it, with
    /// the JSON 404 of an unknown path; /health next to it still answers that address.
    @Test func anAddressOtherThanTheAllowedOnesIsRefused() throws {
        var other = stack.client
        other.sourceAddress = "127.0.0.2"
        #expect(try other.get("/health").status == 200)
        for path in ["/metrics", "/nginx_status"] {
            let refused = try other.get(path)
            expectDetail(refused, 404, "Not Found")
            #expect(refused.headers["content-type"] == "application/json", "\(path)")
            #expect(!refused.text.contains("srochno_") && !refused.text.contains("Active connections"), "\(path)")
        }
        let status = try stack.client.get("/nginx_status")
        #expect(status.status == 200)
        #expect(status.text.hasPrefix("Active connections:"))
    }

    // MARK: - Helpers

    private func scrape() throws -> PrometheusScrape {
        let response = try stack.client.get("/metrics")
        guard response.status == 200 else { throw HTTPClientError(description: "/metrics answered \(response.status)") }
        return try PrometheusScrape(response.text)
    }

    /// Every series of `before` and `after` differs by `changes` (0 where not named), ages
    /// and backlogs that time alone moves aside.
    private func expectChanges(
        from before: PrometheusScrape, to after: PrometheusScrape, _ changes: [String: Double],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for key in Set(before.samples.keys).union(after.samples.keys) where !key.hasSuffix("_seconds") {
            let change = (after[key] ?? 0) - (before[key] ?? 0)
            #expect(change == changes[key] ?? 0, "\(key) changed by \(change)", sourceLocation: sourceLocation)
        }
        for key in changes.keys { #expect(after[key] != nil, "\(key) missing", sourceLocation: sourceLocation) }
    }

    private func runCloser() throws {
        let binary = try TestStack.required("SROCHNO_TEST_AUTOCLOSE_BIN")
        let outcome = try runProcess(binary, environment: ["PATH=/usr/bin:/bin", "SROCHNO_CONFIG=\(payments.configPath)"])
        guard outcome.exitCode == 0 else { throw HTTPClientError(description: "srochno-autoclose failed: \(outcome.standardError)") }
    }

    private static func migrationFiles() throws -> [String] {
        let directory = try TestStack.required("SROCHNO_TEST_SQL_DIR")
        return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".sql") }.sorted()
    }
}

/// One scrape parsed strictly as the text exposition format 0.0.4: every sample's metric has
/// exactly one HELP and one TYPE line before its samples, names carry the `srochno_` prefix and
/// counters the `_total` suffix, values are numbers. Samples keyed as printed: `name{labels}`.
struct PrometheusScrape {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    private(set) var samples: [String: Double] = [:]
    private(set) var types: [String: String] = [:]
    private var helps: Set<String> = []

    init(_ text: String) throws {
        guard text.hasSuffix("\n") else { throw Malformed(description: "no final newline") }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) {
            if line.hasPrefix("# HELP ") {
                let name = String(line.dropFirst(7).prefix { $0 != " " })
                guard helps.insert(name).inserted, types[name] == nil else { throw Malformed(description: "HELP again or late: \(line)") }
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ").map(String.init)
                guard parts.count == 2, ["gauge", "counter"].contains(parts[1]), helps.contains(parts[0]), types[parts[0]] == nil else {
                    throw Malformed(description: "bad TYPE line: \(line)")
                }
                guard parts[0].hasPrefix("srochno_"), (parts[1] == "counter") == parts[0].hasSuffix("_total") else {
                    throw Malformed(description: "name against the conventions: \(line)")
                }
                types[parts[0]] = parts[1]
            } else {
                guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                    throw Malformed(description: "bad sample: \(line)")
                }
                let key = String(line[..<space])
                let name = String(key.prefix { $0 != "{" })
                guard types[name] != nil, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                    throw Malformed(description: "sample without HELP and TYPE, or a bad name: \(line)")
                }
                if key.count > name.count {
                    guard key.hasSuffix("}"), key.contains("=\"") else { throw Malformed(description: "bad labels: \(line)") }
                }
                guard samples.updateValue(value, forKey: key) == nil else { throw Malformed(description: "sample twice: \(line)") }
            }
        }
    }

    subscript(key: String) -> Double? { samples[key] }
}
