import Foundation
import SrochnoCore
import SrochnoTestSupport
import Testing

/// Faults an operator will meet: the database going away and coming back, and slow clients.
/// scripts/test runs this suite on its own, after all others, because it stops the database
/// that every other suite uses.
@Suite(.serialized) struct FaultTests {
    let stack: TestStack

    init() throws {
        stack = try TestStack()
    }

    @Test func databaseDownAnswersJSON503QuicklyAndRecovers() throws {
        let client = stack.client
        let user = TestUser(stack)
        #expect(try client.get("/api/users/me", as: user).status == 200)

        try postgres("stop")
        defer { try? postgres("start") }
        let health = try client.get("/health")
        #expect(health.status == 503)
        #expect(health.text == #"{"status":"unhealthy"}"#)
        for path in ["/api/users/me", "/api/balance", "/api/orders?mine=true"] {
            let response = try client.get(path, as: user)
            #expect(response.status == 503, "\(path)")
            #expect(response.detail == "Service temporarily unavailable", "\(path)")
            #expect(response.headers["content-type"] == "application/json")
        }
        // Everyone's list may come from nginx's micro-cache until the end of its second; then
        // the outage shows, and stays (nginx never serves an expired copy of a list).
        #expect(try waitUntil(seconds: 1.5) { try client.get("/api/orders").status == 503 })
        for _ in 0..<5 {
            let anonymous = try client.get("/api/orders")
            #expect(anonymous.status == 503)
            #expect(anonymous.detail == "Service temporarily unavailable")
        }

        try postgres("start")
        #expect(try waitUntil(seconds: 10) { try client.get("/health").status == 200 })
        for _ in 0..<12 {  // more requests than workers: every worker has reconnected
            #expect(try client.get("/api/users/me", as: user).status == 200)
        }
    }

    /// GET /metrics with PostgreSQL stopped still answers: `srochno_database_up 0`, the
    /// release, and nothing read from the database; 1 again once it is back.
    @Test func databaseDownShowsInPrometheusAsUpZero() throws {
        try postgres("stop")
        defer { try? postgres("start") }
        let response = try stack.client.get("/metrics")
        #expect(response.status == 200)
        let metrics = try PrometheusScrape(response.text)
        #expect(metrics["srochno_database_up"] == 0)
        #expect(Set(metrics.types.keys) == ["srochno_build_info", "srochno_database_up"])
        try postgres("start")
        #expect(
            try waitUntil(seconds: 10) {
                try PrometheusScrape(try stack.client.get("/metrics").text)["srochno_database_up"] == 1
            })
    }

    @Test func restartUnderLoadLosesNoMoneyAndRecovers() throws {
        let client = stack.client
        let clients = (0..<3).map { _ in TestUser(stack, firstName: "Клиент") }
        let executors = (0..<6).map { _ in TestUser(stack, firstName: "Мастер") }
        for executor in executors { try stack.fund(executor, 100) }
        let orders = try clients.flatMap { owner in try (0..<3).map { _ in try stack.createOrder(by: owner) } }

        // Eight clients (each from its own loopback address, paced below nginx's per-client
        // rate limit) keep creating, taking and listing for six seconds; a ninth thread
        // restarts PostgreSQL after one and a half.
        let deadline = Date().addingTimeInterval(6)
        let results = inParallel(9) { thread -> [Int] in
            if thread == 0 {
                Thread.sleep(forTimeInterval: 1.5)
                try postgres("restart")
                return []
            }
            var client = stack.client
            client.sourceAddress = "127.0.3.\(thread)"
            var statuses: [Int] = []
            var round = 0
            while Date() < deadline {
                round += 1
                Thread.sleep(forTimeInterval: 0.01)
                let response: HTTPResult
                switch (thread + round) % 3 {
                case 0:
                    response = try client.post(
                        "/api/orders/\(orders[(thread + round) % orders.count])/take",
                        as: executors[thread % executors.count])
                case 1:
                    response = try client.get("/api/orders?limit=20")
                default:
                    response = try client.post("/api/orders", json: orderJSON(), as: clients[thread % clients.count])
                }
                statuses.append(response.status)
                if response.status >= 500 {
                    #expect(response.detail == "Service temporarily unavailable", "an outage is a JSON 503, not an nginx page")
                }
            }
            return statuses
        }
        for result in results {
            let statuses = try result.get()
            let unexpected = statuses.filter { ![200, 201, 402, 409, 410, 503].contains($0) }
            #expect(unexpected.isEmpty, "unexpected statuses \(Set(unexpected).sorted()) in \(statuses.count) requests")
        }
        #expect(results.dropFirst().allSatisfy { (try? $0.get().isEmpty) == false })

        #expect(try waitUntil(seconds: 10) { try client.get("/health").status == 200 })
        for index in 0..<12 {
            #expect(try client.get("/api/orders/\(orders[index % orders.count])", as: executors[0]).status == 200)
        }
        #expect(try stack.ledgerMismatches((clients + executors).map(\.id)) == 0)
        let crowded = try stack.database().execute(
            sql: """
                SELECT count(*) FROM (SELECT order_id FROM executor_takes WHERE order_id = ANY ($1::text[])
                                      GROUP BY order_id HAVING count(*) > 3) AS over
                """, ["{" + orders.joined(separator: ",") + "}"])
        #expect(crowded.int(0, 0) == 0)
    }

    @Test func slowClientsDoNotStarveNormalOnes() throws {
        let client = stack.client
        // 200 connections that send their request line one byte a second.
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        for _ in 0..<200 { sockets.append(try client.connectSocket()) }
        let trickle = Array("GET /health HTTP/1.1\r\nHost: x\r\n".utf8)
        var served = 0
        for second in 0..<4 {
            for fd in sockets { _ = trickle[second...].withUnsafeBytes { write(fd, $0.baseAddress, 1) } }
            for _ in 0..<10 {
                let response = try client.get("/api/cities?search=Казань")
                #expect(response.status == 200)
                served += response.status == 200 ? 1 : 0
            }
            Thread.sleep(forTimeInterval: 1)
        }
        #expect(served == 40)
    }

    private func postgres(_ action: String) throws {
        guard let script = ProcessInfo.processInfo.environment["SROCHNO_TEST_POSTGRES_CTL"] else {
            throw TestStack.NotConfigured(name: "SROCHNO_TEST_POSTGRES_CTL")
        }
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let outcome = try runProcess("/bin/bash", [script, action], environment: environment)
        guard outcome.exitCode == 0 else {
            throw HTTPClientError(description: "postgres-ctl \(action) failed: \(outcome.standardError)")
        }
    }

    private func waitUntil(seconds: Double, _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? condition()) == true { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return try condition()
    }
}

private func orderJSON() -> String {
    #"{"category":"Клининг","description":"Нужна уборка после ремонта, квартира 50 м²","city":"Казань","contact":"\#(TestStack.uniquePhone())"}"#
}
