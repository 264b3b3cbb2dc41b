import Glibc
import SrochnoCore

/// Bot API updates as Telegram POSTs them to the bot's webhook for a Stars payment: the
/// `pre_checkout_query` it waits on before taking the Stars, and the `successful_payment`
/// message after. Shapes as the Bot API documents `Update`, `PreCheckoutQuery`, `Message` and
/// `SuccessfulPayment`.
enum TelegramUpdate {
    static func preCheckout(
        queryID: String, from userID: Int64, currency: String = "XTR", totalAmount: Int64, payload: String
    ) -> JSONValue {
        .object([
            ("update_id", .int(nextUpdateID())),
            (
                "pre_checkout_query",
                .object([
                    ("id", .string(queryID)),
                    ("from", user(userID)),
                    ("currency", .string(currency)),
                    ("total_amount", .int(totalAmount)),
                    ("invoice_payload", .string(payload)),
                ])
            ),
        ])
    }

    static func successfulPayment(
        from userID: Int64, currency: String = "XTR", totalAmount: Int64, payload: String, chargeID: String
    ) -> JSONValue {
        message(
            from: userID,
            (
                "successful_payment",
                .object([
                    ("currency", .string(currency)),
                    ("total_amount", .int(totalAmount)),
                    ("invoice_payload", .string(payload)),
                    ("telegram_payment_charge_id", .string(chargeID)),
                    ("provider_payment_charge_id", .string("provider-" + chargeID)),
                ])
            ))
    }

    /// An update the webhook does not act on: a plain text message.
    static func textMessage(from userID: Int64, _ text: String) -> JSONValue {
        message(from: userID, ("text", .string(text)))
    }

    /// A `message` update in the user's private chat, carrying `content` (its text, or what
    /// else it brings) beside the fields every message has.
    private static func message(from userID: Int64, _ content: (key: String, value: JSONValue)) -> JSONValue {
        .object([
            ("update_id", .int(nextUpdateID())),
            (
                "message",
                .object([
                    ("message_id", .int(Int64.random(in: 1...1_000_000))),
                    ("from", user(userID)),
                    ("chat", .object([("id", .int(userID)), ("first_name", .string("Тест")), ("type", .string("private"))])),
                    ("date", .int(Int64(time(nil)))),
                    content,
                ])
            ),
        ])
    }

    /// A random query id (Telegram's are long decimal strings).
    static func queryID() -> String { String(UInt64.random(in: 1_000_000_000_000...9_000_000_000_000_000)) }

    private static func user(_ id: Int64) -> JSONValue {
        .object([("id", .int(id)), ("is_bot", .bool(false)), ("first_name", .string("Тест")), ("language_code", .string("ru"))])
    }

    private static func nextUpdateID() -> Int64 { Int64.random(in: 100_000_000...900_000_000) }
}
