@testable import SrochnoAdoption
import SrochnoCore
import Testing

/// Users, reviews, complaints, transactions and invoices as the import stores them, and the
/// array parameters its batch statements bind.
@Suite struct AdoptionRowPlannerTests {
    let moment = Instant(seconds: 1_800_000_000)

    func user(id: Int64 = 5, balance: Int64 = 10, categories: [String] = [], cities: [String] = [], frequency: Int64 = 10) -> LegacyUser {
        LegacyUser(
            id: id, username: "u", firstName: "Имя", lastName: nil, languageCode: "ru", balance: balance, categories: categories,
            cities: cities, frequencyMinutes: frequency, notificationsEnabled: true, createdAt: moment, updatedAt: moment)
    }

    @Test func preferencesKeepOnlyTodaysListsWithinTheirLimits() {
        let planner = UserPlanner(cities: CityNames(["Москва", "Орёл"] + (1...25).map { "Город \($0)" }))
        guard
            case .importing(let planned) = planner.plan(
                user(categories: ["Клининг", "Садоводство", "Клининг"], cities: ["москва", "Готэм", "Орел"], frequency: 60))
        else {
            Issue.record("refused")
            return
        }
        #expect(planned.categories == ["Клининг"])
        #expect(planned.cities == ["Москва", "Орёл"])
        #expect(planned.frequencyMinutes == 15)
        #expect(planned.openingBalance == 10)
        #expect(
            Set(planned.changes) == [
                "subscribed categories outside today's list dropped", "subscribed cities outside today's list dropped",
                "subscribed cities matched to today's spelling", "notification frequency outside 5-15 minutes moved to the nearest bound",
            ])
        guard case .importing(let many) = planner.plan(user(cities: (1...25).map { "Город \($0)" }, frequency: 1)) else { return }
        #expect(many.cities.count == 20 && many.frequencyMinutes == 5)
    }

    @Test func balancesCarryOverOnlyWhenPositive() {
        let planner = UserPlanner(cities: CityNames([]))
        guard case .importing(let negative) = planner.plan(user(balance: -4)) else { return }
        #expect(negative.openingBalance == 0 && negative.changes.contains("negative balance not carried over"))
        #expect(planner.plan(user(id: 0)) == .refused("user id is not positive"))
    }

    func imported(status: OrderStatus, executors: [Int64] = [2]) -> OrderImport {
        OrderImport(
            oldID: "aaaaaaaaaaaa", id: "aaaaaaaaaaaa", clientID: 1, category: "Другое", description: "", city: "Москва",
            contact: "@Someone",
            storedStatus: status, settledStatus: nil, createdAt: moment, lifetimeMinutes: 60, maxExecutors: 3, respondedAt: nil,
            finishedAt: moment, takes: executors.map { TakeImport(oldID: $0, executorID: $0, takenAt: moment) }, changes: [],
            statusChange: nil)
    }

    func review(rating: Int64 = 5, executor: Int64 = 2, comment: String? = nil) -> LegacyReview {
        LegacyReview(id: 9, orderID: "aaaaaaaaaaaa", clientID: 1, executorID: executor, rating: rating, comment: comment, createdAt: moment)
    }

    @Test func reviewsOnlyOfATakeOnACompletedOrExpiredOrder() {
        #expect((try? FeedbackPlanner.review(review(), of: imported(status: .completed)).get()) != nil)
        #expect((try? FeedbackPlanner.review(review(), of: imported(status: .expired)).get()) != nil)
        for status in [OrderStatus.deleted, .closedNoResponse, .active] {
            guard case .failure(let refused) = FeedbackPlanner.review(review(), of: imported(status: status)) else {
                Issue.record("a review of a \(status) order was kept")
                continue
            }
            #expect(refused.reason.hasPrefix("order stored \(status.rawValue)"))
        }
        #expect((try? FeedbackPlanner.review(review(executor: 7), of: imported(status: .completed)).get()) == nil)
        #expect((try? FeedbackPlanner.review(review(rating: 0), of: imported(status: .completed)).get()) == nil)
        let cut = try? FeedbackPlanner.review(review(comment: String(repeating: "ё", count: 501)), of: imported(status: .completed)).get()
        #expect(cut?.comment?.unicodeScalars.count == 500 && cut?.changes == ["comment cut to 500 characters"])
    }

    @Test func complaintReasonsMapToTodaysTexts() {
        let expected: [String: ComplaintReason] = [
            "NO_RESPONSE": .noAnswer, "CANCELLED_ORDER": .cancelled, "INADEQUATE_BEHAVIOR": .rude, "FALSE_INFO": .falseInformation,
            "OTHER": .other,
        ]
        for (legacy, reason) in expected { #expect(FeedbackPlanner.complaintReason(legacy) == reason) }
        #expect(FeedbackPlanner.complaintReason("SPAM") == nil)
    }

    func invoice(
        status: String = "PENDING", cryptoPayID: Int64? = 77, amount: Int64 = 100, credited: Bool = false,
        payURL: String? = "https://t.me/x"
    )
        -> LegacyInvoice
    {
        LegacyInvoice(
            id: 3, userID: 5, cryptoPayInvoiceID: cryptoPayID, amount: amount, status: status, payURL: payURL, miniAppInvoiceURL: nil,
            createdAt: moment, creditedInOldLedger: credited)
    }

    @Test func onlyPendingUncreditedInvoicesBecomePayments() {
        guard case .importing(let pending) = HistoryPlanner.invoice(invoice()) else {
            Issue.record("a pending invoice was not imported")
            return
        }
        #expect(pending.expiresAt == moment.adding(minutes: 30))
        #expect(HistoryPlanner.invoice(invoice(status: "PAID")) == .skipped("paid before the switch (in the old balance)"))
        #expect(HistoryPlanner.invoice(invoice(status: "EXPIRED")) == .skipped("expired"))
        #expect(HistoryPlanner.invoice(invoice(credited: true)) == .skipped("pending, but the old ledger credited it (in the old balance)"))
        #expect(HistoryPlanner.invoice(invoice(cryptoPayID: nil)) == .refused("no Crypto Pay invoice id"))
        #expect(HistoryPlanner.invoice(invoice(amount: 100_001)) == .refused("amount outside 1-100000"))
        guard case .importing(let noURL) = HistoryPlanner.invoice(invoice(payURL: nil)) else { return }
        #expect(noURL.changes == ["no pay_url stored"])
    }

    @Test func transactionsKeepTheirTypeAndGetADescription() {
        let old = LegacyTransaction(
            id: 4, userID: 5, type: "REFUND", amount: 2, balanceAfter: 12, orderID: "x", description: nil, createdAt: moment)
        let planned = try? HistoryPlanner.transaction(old).get()
        #expect(planned?.type == "refund" && planned?.description == "Refund" && planned?.changes == ["no description: named by its type"])
        let orphan = LegacyTransaction(
            id: 5, userID: -1, type: "RECHARGE", amount: 2, balanceAfter: 2, orderID: nil, description: "x", createdAt: moment)
        #expect((try? HistoryPlanner.transaction(orphan).get()) == nil)
    }

    @Test func arrayParametersQuoteEveryElementAndKeepNulls() {
        #expect(ArrayParameter(["a", nil, "b \"c\" \\d", ""]).postgresText == #"{"a",NULL,"b \"c\" \\d",""}"#)
        #expect(ArrayParameter([Int64(1), 2]).postgresText == #"{"1","2"}"#)
        #expect(ArrayParameter([String]()).postgresText == "{}")
    }
}
