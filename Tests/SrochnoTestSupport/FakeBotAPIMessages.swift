import Glibc
public import SrochnoCore

/// `sendMessage` on `FakeBotAPI`: checks the call as Telegram does (an integer `chat_id`, a text
/// of 1-4096 characters), records every call with its arrival time, and answers with a new
/// `message_id` unless a refusal the test scripted applies: Telegram's 429 with `retry_after`,
/// 403, another 4xx or a 5xx, for one chat or for all, a number of times or for good.
extension FakeBotAPI {
    /// A refusal Telegram gives `sendMessage`.
    public enum MessageRefusal: Sendable, Equatable {
        /// 429 Too Many Requests with `parameters.retry_after` (seconds).
        case tooManyRequests(retryAfter: Int)
        /// 403, e.g. "Forbidden: bot was blocked by the user".
        case forbidden(String)
        /// Another 4xx, e.g. 400 "Bad Request: chat not found".
        case badRequest(code: Int, String)
        /// A 5xx envelope, e.g. 502 "Bad Gateway".
        case serverError(code: Int)
    }

    /// One `sendMessage` call as the fake saw it.
    public struct MessageCall: Sendable {
        public let chatID: Int64
        public let text: String
        /// Everything the call sent.
        public let parameters: JSONValue
        /// CLOCK_MONOTONIC nanoseconds when the fake read the call.
        public let receivedAt: Int64
        /// Nil when the message was accepted.
        public let refusal: MessageRefusal?
    }

    struct MessageRefusalRule {
        let chatID: Int64?
        let refusal: MessageRefusal
        /// Calls still to refuse; nil: all.
        var remaining: Int?
    }

    /// Answers the next `times` calls for `chatID` (nil: any chat) with `refusal`; nil `times`:
    /// every call from now on. Rules apply in the order they were added.
    public func refuseMessages(to chatID: Int64?, with refusal: MessageRefusal, times: Int? = nil) {
        lock.locked { messageRefusals.append(MessageRefusalRule(chatID: chatID, refusal: refusal, remaining: times)) }
    }

    /// Accepts every message again.
    public func acceptAllMessages() { lock.locked { messageRefusals.removeAll() } }

    /// Every `sendMessage` call, accepted or refused, in arrival order.
    public var messageCalls: [MessageCall] { lock.locked { messageLog } }

    /// The messages accepted, in arrival order.
    public var messages: [MessageCall] { messageCalls.filter { $0.refusal == nil } }

    /// The accepted messages to `chatID`.
    public func messages(to chatID: Int64) -> [MessageCall] { messages.filter { $0.chatID == chatID } }

    func sendMessage(_ parameters: JSONValue) -> FakeReply {
        guard let chatID = parameters["chat_id"]?.intValue else { return refusal(400, "Bad Request: chat_id is empty") }
        guard let text = parameters["text"]?.stringValue, !text.isEmpty else { return refusal(400, "Bad Request: message text is empty") }
        guard text.count <= 4096 else { return refusal(400, "Bad Request: message is too long") }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let receivedAt = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        let (refusal, messageID): (MessageRefusal?, Int) = lock.locked {
            var applied: MessageRefusal?
            if let index = messageRefusals.firstIndex(where: { ($0.chatID == nil || $0.chatID == chatID) && $0.remaining != 0 }) {
                applied = messageRefusals[index].refusal
                if let remaining = messageRefusals[index].remaining { messageRefusals[index].remaining = remaining - 1 }
            }
            messageLog.append(MessageCall(chatID: chatID, text: text, parameters: parameters, receivedAt: receivedAt, refusal: applied))
            return (applied, messageLog.count)
        }
        switch refusal {
        case nil:
            return success(
                .object([
                    ("message_id", .int(Int64(messageID))), ("date", .int(Int64(time(nil)))),
                    ("chat", .object([("id", .int(chatID)), ("type", .string("private"))])), ("text", .string(text)),
                ]))
        case .tooManyRequests(let seconds)?:
            return jsonReply(
                status: 429,
                .object([
                    ("ok", .bool(false)), ("error_code", .int(429)), ("description", .string("Too Many Requests: retry after \(seconds)")),
                    ("parameters", .object([("retry_after", .int(Int64(seconds)))])),
                ]))
        case .forbidden(let description)?:
            return self.refusal(403, description)
        case .badRequest(let code, let description)?:
            return self.refusal(code, description)
        case .serverError(let code)?:
            return self.refusal(code, "Internal Server Error")
        }
    }
}
