import SrochnoPostgres

extension Store {
    /// The balance of a user whose row exists.
    public func balance(of userID: Int64) throws -> Int64 {
        try database().queryOne(BalanceOfUser(userID: userID))
    }

    /// Mints money: one `recharge` ledger entry. Returns its id and the new balance.
    public func recharge(_ userID: Int64, amount: Int64, description: String) throws -> (entryID: Int64, balance: Int64) {
        try database().queryOne(Recharge(userID: userID, amount: amount, description: description))
    }

    /// A page of the user's ledger, newest first in the order the amounts were applied.
    public func ledger(of userID: Int64, limit: Int64, offset: Int64) throws -> [LedgerEntry] {
        try database().query(LedgerPage(userID: userID, limit: limit, offset: offset))
    }
}
