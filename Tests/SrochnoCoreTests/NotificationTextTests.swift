import SrochnoCore
import Testing

/// The text executors get (SPEC §8.2): category, city, the first 100 characters of the
/// description, the Mini App link, never a contact; digests of up to 5 orders and "и ещё N".
@Suite struct NotificationTextTests {
    private func order(_ number: Int, description: String = "Срочно нужен мастер, течёт труба под раковиной") -> AnnouncedOrder {
        AnnouncedOrder(id: "order\(number)ABCDEF".prefix(12).description, category: "Сантехника", city: "Москва", description: description)
    }

    @Test func oneOrderIsCategoryCityExcerptAndLink() {
        let text = OrderAnnouncement.text(for: [order(1)], botUsername: "SrochnoBot")
        #expect(
            text == """
                Новый заказ: Сантехника, Москва
                Срочно нужен мастер, течёт труба под раковиной
                https://t.me/SrochnoBot?startapp=order_order1ABCDEF
                """)
    }

    @Test func withoutAUsernameTheTextSaysToOpenTheApp() {
        let single = OrderAnnouncement.text(for: [order(1)], botUsername: nil)
        #expect(single.hasSuffix("\nОткройте приложение Срочно, чтобы взять заказ."))
        #expect(!single.contains("https://"))
        let digest = OrderAnnouncement.text(for: [order(1), order(2)], botUsername: nil)
        #expect(digest.hasSuffix("\n\nОткройте приложение Срочно, чтобы посмотреть заказы."))
        #expect(!digest.contains("https://"))
    }

    @Test func theDescriptionIsCutAtOneHundredCharactersOnOneLine() {
        let long = String(repeating: "ё", count: 60) + "\n\n  " + String(repeating: "ж", count: 60)
        let excerpt = OrderAnnouncement.excerpt(long)
        #expect(excerpt == String(repeating: "ё", count: 60) + " " + String(repeating: "ж", count: 39) + "…")
        #expect(excerpt.count == 101)
        #expect(OrderAnnouncement.excerpt(String(repeating: "a", count: 100)) == String(repeating: "a", count: 100), "100 fit, no ellipsis")
        #expect(OrderAnnouncement.excerpt("  течёт\tкран \n") == "течёт кран")
    }

    @Test func aDigestListsFiveOrdersAndCountsTheRest() {
        let orders = (1...7).map { order($0) }
        let text = OrderAnnouncement.text(for: orders, botUsername: "SrochnoBot")
        #expect(text.hasPrefix("Новые заказы: 7\n\n1. Сантехника, Москва\nСрочно нужен мастер"))
        for number in 1...5 { #expect(text.contains("startapp=order_order\(number)ABCDEF")) }
        #expect(!text.contains("order6") && !text.contains("order7"))
        #expect(text.hasSuffix("\n\nи ещё 2"))
        #expect(text.count < 4096, "Telegram's limit for one message")
    }

    @Test func aDigestOfFiveHasNoRemainder() {
        let text = OrderAnnouncement.text(for: (1...5).map { order($0) }, botUsername: "SrochnoBot")
        #expect(!text.contains("и ещё"))
        #expect(text.contains("5. Сантехника, Москва"))
    }

    @Test func fiveOrdersOfTheLongestDescriptionsStayFarBelowTelegramsLimit() {
        let orders = (1...9).map { order($0, description: String(repeating: "Щ", count: 1000)) }
        #expect(OrderAnnouncement.text(for: orders, botUsername: String(repeating: "b", count: 32)).count < 1200)
    }
}

/// Back-off, giving up and the send rate, with the times passed in.
@Suite struct NotificationRulesTests {
    @Test func backoffDoublesFromFiveSecondsUpToFiveMinutes() {
        #expect((1...8).map { NotificationRules.backoffSeconds(afterFailures: $0) } == [5, 10, 20, 40, 80, 160, 300, 300])
        #expect(NotificationRules.backoffSeconds(afterFailures: 1000) == 300)
    }

    @Test func givingUpStartsExactlyAtTheGiveUpTime() {
        let since = Instant(seconds: 1_900_000_000)
        #expect(!NotificationRules.givesUp(failingSince: since, now: since.adding(seconds: 3599), giveUpMinutes: 60))
        #expect(NotificationRules.givesUp(failingSince: since, now: since.adding(seconds: 3600), giveUpMinutes: 60))
    }

    @Test func sendsAreSpacedByOneOverTheRate() {
        var rate = SendRate(perSecond: 25)
        #expect(rate.reserve(at: 0) == 0)
        #expect(rate.reserve(at: 0) == 40_000_000)
        #expect(rate.reserve(at: 10_000_000) == 70_000_000, "the third slot is at 80 ms")
        #expect(rate.reserve(at: 1_000_000_000) == 0, "an idle bucket does not save up a burst")
        #expect(rate.reserve(at: 1_000_000_000) == 40_000_000)
    }

    @Test func noSecondHoldsMoreThanTheRatePlusOne() {
        var rate = SendRate(perSecond: 25)
        var sentAt: [Int64] = []
        var clock: Int64 = 0
        for _ in 0..<200 {
            clock += rate.reserve(at: clock)
            sentAt.append(clock)
        }
        for start in sentAt {
            #expect(sentAt.filter { $0 >= start && $0 < start + 1_000_000_000 }.count <= 26)
        }
    }
}
