import SrochnoCore

/// Which orders stored `ACTIVE` in the old database stay active. The old backend compared
/// contacts as typed, so one contact written two ways (`+7 999 123-45-67`, `89991234567`,
/// `@Ivan` and `@ivan`) could have several active orders; Srochno allows one per normalised
/// contact. Decided over all of them before anything is written, so no insert can ever trip
/// the one-active-contact index (PostgreSQL would log the contact with the failure).
enum ActiveContacts {
    /// The key Srochno's unique index compares: usernames without case (`lower(contact)`;
    /// normalised contacts are ASCII, which every collation lower-cases alike).
    static func key(_ normalised: String) -> String { normalised.lowercased() }

    /// The old ids that stay active: of each normalised contact the newest order (by
    /// `created_at`, then id). An order whose contact does not normalise keeps none.
    static func keepers(_ orders: [LegacyActiveOrder]) -> Set<String> {
        var newest: [String: LegacyActiveOrder] = [:]
        for order in orders {
            guard let normalised = Contact.normalize(order.contact) else { continue }
            let key = key(normalised)
            if let current = newest[key], !isNewer(order, than: current) { continue }
            newest[key] = order
        }
        return Set(newest.values.map(\.id))
    }

    /// Later `created_at` first; equal times by id, bytewise (any fixed order would do).
    static func isNewer(_ order: LegacyActiveOrder, than other: LegacyActiveOrder) -> Bool {
        if order.createdAt != other.createdAt { return order.createdAt > other.createdAt }
        return other.id.utf8.lexicographicallyPrecedes(order.id.utf8)
    }
}
