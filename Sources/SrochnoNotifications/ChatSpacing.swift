/// Telegram's per-chat limit: one message per chat per second. An executor's frequency (at
/// least 5 minutes) keeps their messages far apart already; this keeps it true whatever the
/// rest does (a retry of the same chat, a clock moved in tests). Remembers only chats of the
/// last second.
struct ChatSpacing {
    private var lastSent: [Int64: Int64] = [:]
    private let gap: Int64 = 1_000_000_000

    /// Nanoseconds to wait before `chat` may get a message at `now`.
    func wait(for chat: Int64, at now: Int64) -> Int64 {
        guard let last = lastSent[chat] else { return 0 }
        return max(0, last + gap - now)
    }

    mutating func sent(to chat: Int64, at now: Int64) {
        if lastSent.count > 1024 { lastSent = lastSent.filter { $0.value + gap > now } }
        lastSent[chat] = now
    }
}
