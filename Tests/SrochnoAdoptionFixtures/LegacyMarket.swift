public import SrochnoCore

/// An old database with every quirk LEGACY-SCHEMA lists, and names for the rows a test checks:
/// contacts written many ways, several ACTIVE orders per contact, ACTIVE rows hours past their
/// time (taken and unanswered, taken after the no-response moment, untaken), balances that
/// differ from their transactions, subscriptions outside today's lists, invoices in every
/// status (one pending invoice the old ledger already credited), a review of a deleted order,
/// a city outside the list, an id outside Srochno's rule; plus `bulkOrders` ordinary orders
/// for many batches. Ids start from `base` (users), `prefix` (orders, 3 characters) and
/// `invoiceBase` (Crypto Pay), and every phone and username ends in a tag of `base`'s last seven
/// digits, so suites sharing a database never collide.
public struct LegacyMarket: Sendable {
    public let rows: LegacyRows
    public let now: Instant
    /// Clients A and B, executors X, Y, Z.
    public let clientA: Int64, clientB: Int64, executorX: Int64, executorY: Int64, executorZ: Int64
    /// A user id that is not positive (only with `invalidUser`).
    public let invalidUser: Int64?
    public let cities: [String]

    // Orders stored ACTIVE.
    /// `+7 912 …` (`spaced`), the newest of three spellings of one phone: stays active.
    public let keeper: String
    /// The same phone as `8 (912) …` (`trunk`), 10 minutes older and still within its hour: expired at adoption.
    public let duplicate: String
    /// The same phone again, 3 hours old, taken by X and never answered: settled closed, X refunded.
    public let duplicateDue: String
    /// `@Ivan_<tag>` stays; `@ivan_<tag>`, older, expires.
    public let usernameKeeper: String
    public let usernameDuplicate: String
    /// 3 hours old, taken by Y, unanswered: stays stored active, reads closed_no_response.
    public let hoursOldTaken: String
    /// 2 hours old, untaken: stays stored active, reads expired.
    public let hoursOldUntaken: String
    /// Taken by X and, after X's no-response moment had passed, by Y.
    public let lateTake: String
    /// `hello<tag>`: does not normalise, expires at adoption keeping its contact.
    public let badContactActive: String

    // Finished orders.
    /// Contact `+7 9727 <tag>` (12 digits, kept as typed); taken by X and Y, answered;
    /// reviewed 5 by A about X, rated 0 about Y (refused); Y complained (FALSE_INFO).
    public let completed: String
    /// Deleted with a take by X, reviewed (refused) and complained about (kept).
    public let deletedReviewed: String
    /// Expired, taken by Z, reviewed with a 600-character comment (cut to 500).
    public let expiredReviewed: String
    /// Closed unanswered, taken by X, refunded in the old ledger.
    public let closed: String
    /// In «Готэм»: refused with its take and review.
    public let unknownCity: String
    /// `legacy-order-000001` and category «Садоводство»: a derived id, category «Другое».
    public let badID: String
    /// A 1,200-character description, cut to 1,000.
    public let longDescription: String

    // Invoices (Crypto Pay ids).
    public let pendingInvoice: Int64
    public let pendingOldInvoice: Int64
    public let pendingCreditedInvoice: Int64
    public let paidInvoice: Int64
    public let expiredInvoice: Int64
    public let bulkOrders: Int

    public static let longComment = String(repeating: "Очень долго ждали мастера. ", count: 23)
    public static let longDescriptionText = String(repeating: "Нужно собрать шкаф и повесить полки. ", count: 33)

    /// `cities`: at least 2 known cities for the orders (quiet ones in a shared database);
    /// `knownCities`: at least 22 known cities for a subscription list over the limit.
    public init(
        base: Int64, prefix: String, invoiceBase: Int64, now: Instant, cities: [String], knownCities: [String], bulkOrders: Int = 0,
        invalidUser: Bool = false
    ) {
        precondition(prefix.utf8.count == 3 && cities.count >= 2 && knownCities.count >= 22)
        self.now = now
        self.cities = cities
        self.bulkOrders = bulkOrders
        clientA = base + 1
        clientB = base + 2
        executorX = base + 3
        executorY = base + 4
        executorZ = base + 5
        self.invalidUser = invalidUser ? -base : nil
        func id(_ number: Int) -> String { prefix + "o" + String(repeating: "0", count: 8 - String(number).count) + String(number) }
        keeper = id(1)
        duplicate = id(2)
        duplicateDue = id(3)
        usernameKeeper = id(4)
        usernameDuplicate = id(5)
        hoursOldTaken = id(6)
        hoursOldUntaken = id(7)
        lateTake = id(8)
        badContactActive = id(9)
        completed = id(10)
        deletedReviewed = id(11)
        expiredReviewed = id(12)
        closed = id(13)
        unknownCity = id(14)
        badID = "legacy-order-" + prefix + "001"
        longDescription = id(16)
        pendingInvoice = invoiceBase + 1
        pendingOldInvoice = invoiceBase + 2
        pendingCreditedInvoice = invoiceBase + 3
        paidInvoice = invoiceBase + 4
        expiredInvoice = invoiceBase + 5

        // Contacts unique to `base`: phones are 9, two digits and the tag; usernames end in it.
        let tag = String(repeating: "0", count: 7 - String(base % 10_000_000).count) + String(base % 10_000_000)
        func phone(_ k: Int) -> String { "9" + (k < 10 ? "0" : "") + String(k) + tag }
        let minute: Int64 = 60
        func ago(minutes: Int64) -> Instant { now.adding(seconds: -minutes * minute) }
        var rows = LegacyRows()

        var a = LegacyRows.User(
            id: clientA, username: "anna_\(base)", firstName: "Анна", balance: 500, createdAt: ago(minutes: 90 * 24 * 60))
        a.categories = ["Сантехника", "Садоводство"]
        a.cities = [cities[0], "Готэм", cities[1].lowercased()]
        a.frequency = 30
        a.notificationsEnabled = true
        a.completedCount = 7
        a.activeCount = 3
        var b = LegacyRows.User(id: clientB, username: nil, firstName: "Борис", balance: 0, createdAt: ago(minutes: 80 * 24 * 60))
        b.cities = Array(knownCities.prefix(22))
        b.frequency = 1
        let x = LegacyRows.User(
            id: executorX, username: "xenia_\(base)", firstName: "Ксения", balance: 120, createdAt: ago(minutes: 70 * 24 * 60))
        let y = LegacyRows.User(
            id: executorY, username: "yuri_\(base)", firstName: "Юрий", balance: 7, createdAt: ago(minutes: 60 * 24 * 60))
        let z = LegacyRows.User(id: executorZ, username: nil, firstName: "Зоя", balance: 0, createdAt: ago(minutes: 50 * 24 * 60))
        rows.users = [a, b, x, y, z]
        if let invalid = self.invalidUser {
            rows.users.append(LegacyRows.User(id: invalid, username: nil, firstName: "Ошибка", balance: 0, createdAt: ago(minutes: 1000)))
        }

        func order(_ id: String, _ client: Int64, _ contact: String, _ status: String, minutesAgo: Int64, city: Int = 0) -> LegacyRows.Order
        {
            LegacyRows.Order(
                id: id, clientID: client, city: cities[city], contact: contact, status: status, createdAt: ago(minutes: minutesAgo))
        }
        func take(_ order: String, _ executor: Int64, at: Instant) {
            rows.takes.append(LegacyRows.Take(orderID: order, executorID: executor, takenAt: at))
            var charge = LegacyRows.Transaction(
                userID: executor, type: "ORDER_TAKE", amount: -2, balanceAfter: 10, description: "Took order \(order)", createdAt: at)
            charge.orderID = order
            rows.transactions.append(charge)
        }

        // Several ACTIVE orders of one phone, written three ways.
        rows.orders.append(order(keeper, clientA, Self.spaced(phone(12)), "ACTIVE", minutesAgo: 10))
        rows.orders.append(order(duplicate, clientA, Self.trunk(phone(12)), "ACTIVE", minutesAgo: 20))
        rows.orders.append(order(duplicateDue, clientB, "8" + phone(12), "ACTIVE", minutesAgo: 180))
        take(duplicateDue, executorX, at: ago(minutes: 175))
        rows.orders.append(order(usernameKeeper, clientB, "@Ivan_" + tag, "ACTIVE", minutesAgo: 5, city: 1))
        rows.orders.append(order(usernameDuplicate, clientA, "@ivan_" + tag, "ACTIVE", minutesAgo: 15, city: 1))
        // ACTIVE rows hours past their time.
        rows.orders.append(order(hoursOldTaken, clientA, "+7" + phone(1), "ACTIVE", minutesAgo: 180))
        take(hoursOldTaken, executorY, at: ago(minutes: 175))
        rows.orders.append(order(hoursOldUntaken, clientB, Self.grouped(phone(2), "+7 (", ") ", "-", "-"), "ACTIVE", minutesAgo: 120))
        rows.orders.append(order(lateTake, clientB, Self.grouped(phone(3), "+7 ", " ", " ", " "), "ACTIVE", minutesAgo: 50))
        take(lateTake, executorX, at: ago(minutes: 48))
        take(lateTake, executorY, at: ago(minutes: 20))
        rows.orders.append(order(badContactActive, clientA, "hello" + tag, "ACTIVE", minutesAgo: 5))

        var done = order(completed, clientA, "+7 9727 " + tag, "COMPLETED", minutesAgo: 2 * 24 * 60)
        done.respondedAt = done.createdAt.adding(minutes: 10)
        done.updatedAt = done.createdAt.adding(minutes: 30)
        rows.orders.append(done)
        take(completed, executorX, at: done.createdAt.adding(minutes: 3))
        take(completed, executorY, at: done.createdAt.adding(minutes: 4))
        rows.reviews.append(
            LegacyRows.Review(
                orderID: completed, clientID: clientA, executorID: executorX, rating: 5, comment: "Отлично", createdAt: done.updatedAt))
        rows.reviews.append(
            LegacyRows.Review(
                orderID: completed, clientID: clientA, executorID: executorY, rating: 0, comment: nil, createdAt: done.updatedAt))
        rows.complaints.append(
            LegacyRows.Complaint(
                orderID: completed, executorID: executorY, clientID: clientA, reason: "FALSE_INFO", comment: nil, createdAt: done.updatedAt)
        )

        let deleted = order(deletedReviewed, clientB, "@boris_" + tag, "DELETED", minutesAgo: 3 * 24 * 60)
        rows.orders.append(deleted)
        take(deletedReviewed, executorX, at: deleted.createdAt.adding(minutes: 2))
        rows.reviews.append(
            LegacyRows.Review(
                orderID: deletedReviewed, clientID: clientB, executorID: executorX, rating: 4, comment: "Удалил заказ",
                createdAt: deleted.updatedAt))
        rows.complaints.append(
            LegacyRows.Complaint(
                orderID: deletedReviewed, executorID: executorX, clientID: clientB, reason: "NO_RESPONSE", comment: "Не отвечал",
                createdAt: deleted.updatedAt))

        let expired = order(expiredReviewed, clientA, "+7" + phone(4), "EXPIRED", minutesAgo: 4 * 24 * 60)
        rows.orders.append(expired)
        take(expiredReviewed, executorZ, at: expired.createdAt.adding(minutes: 1))
        rows.reviews.append(
            LegacyRows.Review(
                orderID: expiredReviewed, clientID: clientA, executorID: executorZ, rating: 3, comment: Self.longComment,
                createdAt: expired.updatedAt))

        let closedOrder = order(closed, clientB, Self.grouped(phone(5), "8 ", " ", " ", " "), "CLOSED_NO_RESPONSE", minutesAgo: 24 * 60)
        rows.orders.append(closedOrder)
        take(closed, executorX, at: closedOrder.createdAt.adding(minutes: 5))
        var refund = LegacyRows.Transaction(
            userID: executorX, type: "REFUND", amount: 2, balanceAfter: 12, description: nil, createdAt: closedOrder.updatedAt)
        refund.orderID = closed
        rows.transactions.append(refund)

        var gotham = order(unknownCity, clientA, "+7" + phone(6), "EXPIRED", minutesAgo: 5 * 24 * 60)
        gotham.city = "Готэм"
        rows.orders.append(gotham)
        take(unknownCity, executorY, at: gotham.createdAt.adding(minutes: 2))
        rows.reviews.append(
            LegacyRows.Review(
                orderID: unknownCity, clientID: clientA, executorID: executorY, rating: 2, comment: nil, createdAt: gotham.updatedAt))

        var odd = order(badID, clientB, Self.grouped(phone(7), "+7-", "-", "-", "-"), "COMPLETED", minutesAgo: 6 * 24 * 60)
        odd.city = cities[0].lowercased()
        odd.category = "Садоводство"
        rows.orders.append(odd)

        var long = order(longDescription, clientA, "@anna_" + tag, "EXPIRED", minutesAgo: 7 * 24 * 60)
        long.description = Self.longDescriptionText
        rows.orders.append(long)

        if let invalid = self.invalidUser {
            rows.orders.append(order(id(17), invalid, "+7" + phone(8), "EXPIRED", minutesAgo: 8 * 24 * 60))
        }

        // Bulk: ordinary history and a few more active orders, some sharing a phone.
        let statuses = ["EXPIRED", "COMPLETED", "CLOSED_NO_RESPONSE", "DELETED", "EXPIRED", "COMPLETED", "ACTIVE"]
        let executors = [executorX, executorY, executorZ]
        for index in 0..<bulkOrders {
            let number = 100 + index
            let status = statuses[index % statuses.count]
            let digits = "91" + String(100_000_000 + (status == "ACTIVE" && index % 14 == 13 ? index - 7 : index)).suffix(8)
            let contact =
                switch index % 4 {
                case 0: Self.spaced(digits)
                case 1: "8" + digits
                case 2: "+7" + digits
                default: Self.trunk(digits)
                }
            let minutesAgo: Int64 = status == "ACTIVE" ? Int64(30 + index) : Int64(24 * 60 + index * 13)
            var bulk = order(id(number), index % 2 == 0 ? clientA : clientB, contact, status, minutesAgo: minutesAgo, city: index % 2)
            if status == "COMPLETED" { bulk.respondedAt = bulk.createdAt.adding(minutes: 8) }
            rows.orders.append(bulk)
            guard index % 3 == 0, status != "DELETED" else { continue }
            let count = 1 + index % 3
            for k in 0..<count {
                take(bulk.id, executors[(index + k) % 3], at: bulk.createdAt.adding(minutes: Int(2 + k)))
            }
            if status == "COMPLETED" || status == "EXPIRED" {
                rows.reviews.append(
                    LegacyRows.Review(
                        orderID: bulk.id, clientID: bulk.clientID, executorID: executors[index % 3], rating: Int64(1 + index % 5),
                        comment: nil, createdAt: bulk.updatedAt))
            }
            if index % 5 == 0 {
                let reasons = ["NO_RESPONSE", "CANCELLED_ORDER", "INADEQUATE_BEHAVIOR", "FALSE_INFO", "OTHER"]
                rows.complaints.append(
                    LegacyRows.Complaint(
                        orderID: bulk.id, executorID: executors[index % 3], clientID: bulk.clientID, reason: reasons[index / 5 % 5],
                        comment: nil, createdAt: bulk.updatedAt))
            }
        }

        // Money: top-ups that do not add up to the balances, and invoices in every status.
        func recharge(_ user: Int64, _ amount: Int64, invoice: Int64?, minutesAgo: Int64) {
            var row = LegacyRows.Transaction(
                userID: user, type: "RECHARGE", amount: amount, balanceAfter: amount,
                description: invoice.map { "Crypto Bot payment #\($0)" },
                createdAt: ago(minutes: minutesAgo))
            row.method = "crypto_bot"
            row.externalID = invoice.map(String.init)
            rows.transactions.append(row)
        }
        recharge(clientA, 300, invoice: nil, minutesAgo: 30 * 24 * 60)
        recharge(clientA, 100, invoice: nil, minutesAgo: 29 * 24 * 60)
        recharge(executorX, 100, invoice: nil, minutesAgo: 28 * 24 * 60)
        recharge(executorX, 50, invoice: pendingCreditedInvoice, minutesAgo: 60)
        recharge(clientA, 300, invoice: paidInvoice, minutesAgo: 2 * 24 * 60)
        let paidTransaction = rows.transactions.count - 1

        rows.invoices.append(
            LegacyRows.Invoice(
                userID: clientA, cryptoPayID: pendingInvoice, amount: 250, status: "PENDING",
                payURL: "https://t.me/CryptoBot?start=IV\(pendingInvoice)", createdAt: ago(minutes: 10)))
        rows.invoices.append(
            LegacyRows.Invoice(
                userID: clientB, cryptoPayID: pendingOldInvoice, amount: 100, status: "PENDING",
                payURL: "https://t.me/CryptoBot?start=IV\(pendingOldInvoice)", createdAt: ago(minutes: 3 * 24 * 60)))
        rows.invoices.append(
            LegacyRows.Invoice(
                userID: executorX, cryptoPayID: pendingCreditedInvoice, amount: 50, status: "PENDING", payURL: nil,
                createdAt: ago(minutes: 65)))
        var paid = LegacyRows.Invoice(
            userID: clientA, cryptoPayID: paidInvoice, amount: 300, status: "PAID", payURL: "https://t.me/CryptoBot?start=IV\(paidInvoice)",
            createdAt: ago(minutes: 2 * 24 * 60 + 5))
        paid.transaction = paidTransaction
        rows.invoices.append(paid)
        rows.invoices.append(
            LegacyRows.Invoice(
                userID: clientB, cryptoPayID: expiredInvoice, amount: 70, status: "EXPIRED", payURL: nil,
                createdAt: ago(minutes: 5 * 24 * 60)))
        rows.invoices.append(
            LegacyRows.Invoice(userID: executorY, cryptoPayID: nil, amount: 40, status: "PENDING", payURL: nil, createdAt: ago(minutes: 30))
        )
        self.rows = rows
    }

    /// The ten digits after the country code as `start` 999 `first` 123 `second` 45 `third` 67.
    static func grouped(_ digits: String, _ start: String, _ first: String, _ second: String, _ third: String) -> String {
        let d = Array(digits)
        return start + String(d[0..<3]) + first + String(d[3..<6]) + second + String(d[6..<8]) + third + String(d[8..<10])
    }

    /// `+7 999 123-45-67`.
    static func spaced(_ digits: String) -> String { grouped(digits, "+7 ", " ", "-", "-") }

    /// `8 (999) 1234567`.
    static func trunk(_ digits: String) -> String { "8 (\(digits.prefix(3))) \(digits.dropFirst(3))" }

    /// Every user's old balance, by id.
    public var balances: [Int64: Int64] { Dictionary(uniqueKeysWithValues: rows.users.map { ($0.id, $0.balance) }) }
}
