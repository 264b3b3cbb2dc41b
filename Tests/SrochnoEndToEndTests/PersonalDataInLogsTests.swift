import Glibc
import SrochnoTestSupport
import Testing

/// Expected refusals (a taken contact, too many orders, an overdraft, a second review or
/// complaint) are decided by statements that succeed, so PostgreSQL's log never holds a
/// contact or a user's row: a failing statement is logged with its DETAIL, which for a unique
/// violation names the key (the contact) and for a CHECK the whole failing row.
@Suite struct PersonalDataInLogsTests {
    @Test func refusalsLeaveNoContactOrUserRowInThePostgreSQLLog() throws {
        let logPath = try TestStack.postgresLogPath()
        let reviews = try ReviewAPI()
        let stack = reviews.stack
        let api = OrderAPI(stack)
        let marker = "Логтест\(Int.random(in: 100_000...999_999))"
        let client = TestUser(stack, firstName: marker)
        let phone = PhoneNumber()
        let username = "@LogCase\(Int.random(in: 100_000...999_999))"

        // 409: a contact with an active order, by create (any case) and by update.
        let first = try api.createID(OrderDraft(contact: phone.spaced), as: client)
        expectOrderError(
            try api.create(OrderDraft(contact: phone.compact), as: TestUser(stack, firstName: marker)),
            409, "This contact already has an active order")
        _ = try api.createID(OrderDraft(contact: username), as: client)
        expectOrderError(
            try api.create(OrderDraft(contact: username.lowercased()), as: client),
            409, "This contact already has an active order")
        let other = try api.createID(as: client)
        expectOrderError(
            try api.update(other, .changes(contact: phone.trunkPrefixed), as: client),
            409, "This contact already has an active order")
        // 409: the sixth active order.
        for _ in 0..<2 { _ = try api.createID(as: client) }
        expectOrderError(try api.create(OrderDraft(), as: client), 409, "Too many active orders")
        // 402: a take without money, by a user seen for the first time.
        let broke = TestUser(stack, firstName: marker)
        expectOrderError(try api.take(first, as: broke), 402, "Insufficient balance. Need 2₽")
        // 409: a second review and a second complaint.
        let executor = try reviews.executor(firstName: marker)
        let completed = try reviews.completedOrder(client: TestUser(stack, firstName: marker), executors: [executor])
        let complaint = try reviews.complain(completed, reason: "Не отвечал", as: executor)
        #expect(complaint.status == 200, "\(complaint.text)")
        ReviewExpect.detail(try reviews.complain(completed, reason: "Другое", as: executor), 409, "Complaint already submitted")

        let log = String(decoding: try #require(readWholeFile(logPath), "cannot read \(logPath)"), as: UTF8.self)
        for secret in [
            phone.normalized, String(phone.normalized.dropFirst(2)), username, username.lowercased(), marker,
            String(client.id), String(broke.id), String(executor.id),
        ] {
            #expect(!log.contains(secret), "the PostgreSQL log holds \(secret)")
        }
    }

    @Test func aSecondReviewIsRefusedWithoutALoggedRow() throws {
        let logPath = try TestStack.postgresLogPath()
        let reviews = try ReviewAPI()
        let marker = "Отзывтест\(Int.random(in: 100_000...999_999))"
        let client = TestUser(reviews.stack, firstName: marker)
        let executor = try reviews.executor()
        let completed = try reviews.completedOrder(client: client, executors: [executor])
        #expect(try reviews.review(completed, rating: 5, comment: marker, as: client).status == 200)
        ReviewExpect.detail(try reviews.review(completed, rating: 4, comment: marker, as: client), 409, "Review already submitted")
        let log = String(decoding: try #require(readWholeFile(logPath), "cannot read \(logPath)"), as: UTF8.self)
        #expect(!log.contains(marker))
        #expect(!log.contains(String(client.id)))
    }
}

extension TestStack {
    /// The stack's PostgreSQL log file (scripts/test sets it); a test needing it fails without it.
    static func postgresLogPath() throws -> String { try required("SROCHNO_TEST_POSTGRES_LOG") }
}
