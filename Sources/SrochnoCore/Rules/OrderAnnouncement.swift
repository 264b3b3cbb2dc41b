/// What a notification tells an executor about one order (SPEC §8.2): never its contact.
public struct AnnouncedOrder: Sendable, Equatable {
    public var id: String
    public var category: String
    public var city: String
    public var description: String

    public init(id: String, category: String, city: String, description: String) {
        self.id = id
        self.category = category
        self.city = city
        self.description = description
    }
}

/// The Russian text of a notification: one order, or a digest of the orders posted while the
/// executor waited. Plain text (no parse mode), so nothing a client wrote can turn into markup
/// or a forged link; Telegram makes the `https://` links clickable by itself.
public enum OrderAnnouncement {
    /// Orders a digest lists; the rest are counted ("и ещё N").
    public static let digestLimit = 5
    /// Characters of the description a message shows.
    public static let excerptLength = 100

    /// The Mini App deep link that opens the order, or nil without a configured bot username.
    public static func link(orderID: String, botUsername: String?) -> String? {
        botUsername.map { "https://t.me/\($0)?startapp=order_\(orderID)" }
    }

    /// The message for `orders` (oldest first, at least one).
    public static func text(for orders: [AnnouncedOrder], botUsername: String?) -> String {
        precondition(!orders.isEmpty, "a message announces at least one order")
        if orders.count == 1 {
            let order = orders[0]
            var lines = ["Новый заказ: \(order.category), \(order.city)", excerpt(order.description)]
            lines.append(link(orderID: order.id, botUsername: botUsername) ?? "Откройте приложение Срочно, чтобы взять заказ.")
            return lines.joined(separator: "\n")
        }
        var lines = ["Новые заказы: \(orders.count)"]
        for (index, order) in orders.prefix(digestLimit).enumerated() {
            lines.append("")
            lines.append("\(index + 1). \(order.category), \(order.city)")
            lines.append(excerpt(order.description))
            if let link = link(orderID: order.id, botUsername: botUsername) { lines.append(link) }
        }
        if orders.count > digestLimit {
            lines.append("")
            lines.append("и ещё \(orders.count - digestLimit)")
        }
        if botUsername == nil {
            lines.append("")
            lines.append("Откройте приложение Срочно, чтобы посмотреть заказы.")
        }
        return lines.joined(separator: "\n")
    }

    /// The first `excerptLength` characters of `description` on one line (runs of whitespace,
    /// line breaks included, become one space), with "…" when it was cut.
    public static func excerpt(_ description: String) -> String {
        var collapsed = ""
        var pendingSpace = false
        for character in description {
            if character.isWhitespace {
                pendingSpace = !collapsed.isEmpty
                continue
            }
            if pendingSpace {
                collapsed.append(" ")
                pendingSpace = false
            }
            collapsed.append(character)
        }
        guard collapsed.count > excerptLength else { return collapsed }
        return String(collapsed.prefix(excerptLength)) + "…"
    }
}
