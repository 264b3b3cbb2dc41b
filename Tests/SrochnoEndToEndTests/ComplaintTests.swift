import SrochnoCore
import SrochnoPostgres
import SrochnoTestSupport
import Testing

/// `POST /api/reviews/executor`: an executor complains about the client of an order it took,
/// once per order, with one of the five reasons of SPEC §3.
@Suite struct ComplaintTests {
    let api: ReviewAPI

    init() throws { api = try ReviewAPI() }

    @Test(arguments: ReviewAPI.complaintReasons)
    func eachReasonIsAcceptedFromAnExecutorWhoTookTheOrder(_ reason: String) throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.takenOrder(client: client, executors: [executor])

        let response = try api.complain(order, reason: reason, comment: "Причина: \(reason)", as: executor)
        #expect(response.status == 200, "body: \(response.text)")
        #expect(ReviewJSON.keys(try response.json()) == ["success", "complaint_id"])
        let id = try #require(ReviewAPI.createdID(response, key: "complaint_id"))
        let stored = try api.stack.database().execute(
            sql: "SELECT reason, comment, order_id, executor_id FROM executor_complaints WHERE id = $1::bigint", [id])
        #expect(stored.string(0, 0) == reason)
        #expect(stored.string(0, 1) == "Причина: \(reason)")
        #expect(stored.string(0, 2) == order)
        #expect(stored.int(0, 3) == executor.id)
    }

    @Test func aComplaintDoesNotWaitForTheOrderToFinish() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.takenOrder(client: client, executors: [executor])
        try api.stack.age(order: order, byMinutes: 16)
        #expect(try api.order(order, as: executor)["status"]?.stringValue == "closed_no_response")

        let response = try api.complain(order, reason: "Не отвечал", as: executor)
        #expect(ReviewAPI.createdID(response, key: "complaint_id") != nil, "body: \(response.text)")
    }

    @Test func onlyAnExecutorWhoTookTheOrderCanComplain() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor(), stranger = try api.executor()
        let order = try api.takenOrder(client: client, executors: [executor])
        let untaken = try api.createOrder(by: client)

        let message = "You did not take this order"
        ReviewExpect.detail(try api.complain(order, reason: "Другое", as: stranger), 404, message)
        ReviewExpect.detail(try api.complain(order, reason: "Другое", as: client), 404, message)
        ReviewExpect.detail(try api.complain(untaken, reason: "Другое", as: executor), 404, message)
        for unknown in ["AAAAAAAAAAAA", "short", "not a real id!", ""] {
            ReviewExpect.detail(try api.complain(unknown, reason: "Другое", as: executor), 404, message)
        }
        let stored = try api.stack.database().execute(
            sql: "SELECT count(*) FROM executor_complaints WHERE order_id = ANY ($1::text[])", ["{\(order),\(untaken)}"])
        #expect(stored.int(0, 0) == 0)
    }

    @Test func anExecutorComplainsAboutAnOrderOnlyOnce() throws {
        let client = TestUser(api.stack)
        let first = try api.executor(), second = try api.executor()
        let order = try api.completedOrder(client: client, executors: [first, second])

        #expect(ReviewAPI.createdID(try api.complain(order, reason: "Отменил заказ", as: first), key: "complaint_id") != nil)
        ReviewExpect.detail(try api.complain(order, reason: "Отменил заказ", as: first), 409, "Complaint already submitted")
        ReviewExpect.detail(try api.complain(order, reason: "Другое", comment: "ещё раз", as: first), 409, "Complaint already submitted")
        #expect(
            ReviewAPI.createdID(try api.complain(order, reason: "Другое", as: second), key: "complaint_id") != nil,
            "another executor of the same order still can")
    }

    @Test(arguments: [
        "не отвечал", "Не отвечал ", " Другое", "Другое.", "", "No answer", "Не oтвечал", "Не\u{00A0}отвечал",
        "Ложная информация\n",
    ])
    func anyOtherReasonIsALiteralError(_ reason: String) throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.takenOrder(client: client, executors: [executor])

        let response = try api.complain(order, reason: reason, as: executor)
        ReviewExpect.validation(response, ["body", "complaint"], type: "literal_error")
        #expect(
            ReviewExpect.validationMessage(response)
                == "Input should be 'Не отвечал', 'Отменил заказ', 'Неадекватное поведение', 'Ложная информация' or 'Другое'")
        #expect(
            ReviewAPI.createdID(try api.complain(order, reason: "Другое", as: executor), key: "complaint_id") != nil,
            "the rejection wrote nothing")
    }

    @Test func malformedComplaintsAreValidationErrors() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.takenOrder(client: client, executors: [executor])
        func post(_ body: String) throws -> HTTPResult { try api.http.post("/api/reviews/executor", json: body, as: executor) }

        ReviewExpect.validation(try post(#"{"order_id": "\#(order)"}"#), ["body", "complaint"], type: "missing")
        ReviewExpect.validation(try post(#"{"complaint": "Другое"}"#), ["body", "order_id"], type: "missing")
        ReviewExpect.validation(try post(#"{"order_id": "\#(order)", "complaint": 1}"#), ["body", "complaint"], type: "string_type")
        ReviewExpect.validation(
            try post(#"{"order_id": "\#(order)", "complaint": ["Другое"]}"#), ["body", "complaint"], type: "string_type")
        ReviewExpect.validation(
            try post(#"{"order_id": "\#(order)", "complaint": "Другое", "comment": false}"#),
            ["body", "comment"], type: "string_type")
        #expect(try post(#"{"order_id": "\#(order)", "complaint": "Другое""#).status == 422)
    }

    @Test func commentsUpTo500CharactersAreStoredExactly() throws {
        let client = TestUser(api.stack)
        let first = try api.executor(), second = try api.executor()
        let order = try api.takenOrder(client: client, executors: [first, second])
        let longest = String(repeating: "😡", count: 250) + String(repeating: "ы", count: 249) + "\n"
        let awkward = "Клиент сказал: \"перезвоню\" 🙄\nи пропал.\r\n\tЖдал 2 часа — 'никого' \\ /"

        let tooLong = try api.complain(order, reason: "Не отвечал", comment: longest + "!", as: first)
        ReviewExpect.validation(tooLong, ["body", "comment"], type: "string_too_long")
        #expect(ReviewExpect.validationMessage(tooLong) == "String should have at most 500 characters")

        let ids = try [(first, longest), (second, awkward)].map { executor, comment in
            try #require(
                ReviewAPI.createdID(try api.complain(order, reason: "Не отвечал", comment: comment, as: executor), key: "complaint_id"))
        }
        let db = try api.stack.database()
        for (id, comment) in zip(ids, [longest, awkward]) {
            let stored = try db.execute(sql: "SELECT comment FROM executor_complaints WHERE id = $1::bigint", [id]).string(0, 0)
            #expect(ReviewJSON.sameScalars(stored.map(JSONValue.string), comment), "\(comment.debugDescription)")
        }
    }

    /// PostgreSQL text cannot hold U+0000: refused, never stored cut short at it.
    @Test func aNULCharacterInTheCommentIsRefusedNotCutShort() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.takenOrder(client: client, executors: [executor])

        let response = try api.complain(order, reason: "Другое", comment: "до\u{0}после", as: executor)
        ReviewExpect.validation(response, ["body", "comment"], type: "value_error")
        ReviewExpect.validation(try api.complain(order, reason: "Другое\u{0}", as: executor), ["body", "complaint"], type: nil)
        let stored = try api.stack.database().execute(sql: "SELECT count(*) FROM executor_complaints WHERE order_id = $1", [order])
        #expect(stored.int(0, 0) == 0)
    }

    @Test func complainingNeedsAValidTelegramUser() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.takenOrder(client: client, executors: [executor])

        ReviewExpect.notAuthenticated(try api.complain(order, reason: "Другое", as: nil))
        let forged = try api.http.post(
            "/api/reviews/executor", json: #"{"order_id": "\#(order)", "complaint": "Другое"}"#,
            headers: [("Authorization", "Bearer user=%7B%22id%22%3A\(executor.id)%7D&auth_date=1&hash=ab")])
        #expect(forged.status == 401)
        #expect(forged.detail?.hasPrefix("Invalid Telegram initData: ") == true, "body: \(forged.text)")
        #expect(ReviewAPI.createdID(try api.complain(order, reason: "Другое", as: executor), key: "complaint_id") != nil)
    }

    @Test func parallelIdenticalComplaintsGiveExactlyOneSuccess() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.takenOrder(client: client, executors: [executor])

        let results = inParallel(6) { _ in try api.complain(order, reason: "Неадекватное поведение", comment: "гонка", as: executor) }
        let responses = try results.map { try $0.get() }
        #expect(responses.filter { $0.status == 200 }.count == 1, "\(responses.map(\.status))")
        let conflicts = responses.filter { $0.status == 409 }
        #expect(conflicts.count == 5, "\(responses.map(\.status))")
        #expect(conflicts.allSatisfy { $0.detail == "Complaint already submitted" })
        let stored = try api.stack.database().execute(
            sql: "SELECT count(*) FROM executor_complaints WHERE order_id = $1 AND executor_id = $2::bigint", [order, executor.id])
        #expect(stored.int(0, 0) == 1)
    }

    @Test func parallelComplaintsWithDifferentReasonsStillCountOnce() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.takenOrder(client: client, executors: [executor])

        let results = inParallel(5) { index in try api.complain(order, reason: ReviewAPI.complaintReasons[index], as: executor) }
        let statuses = try results.map { try $0.get().status }
        #expect(statuses.filter { $0 == 200 }.count == 1, "\(statuses)")
        #expect(statuses.filter { $0 == 409 }.count == 4, "\(statuses)")
    }
}
