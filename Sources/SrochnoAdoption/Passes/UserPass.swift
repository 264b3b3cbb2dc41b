extension Adoption {
    /// Users by id, each with its old balance as one opening ledger row.
    func userPass(cities: CityNames) throws -> Bool {
        let planner = UserPlanner(cities: cities)
        return try runPass("users") { lastKey in
            let users = try source.query(LegacyUsersAfter(after: Int64(lastKey) ?? Int64.min, limit: options.batchSize))
            guard let last = users.last else { return nil }
            return (String(last.id), { try self.writeUsers(users, planner) })
        }
    }

    private func writeUsers(_ users: [LegacyUser], _ planner: UserPlanner) throws -> Tally {
        var tally = Tally()
        tally.read(.users, users.count)
        var imports: [UserImport] = []
        for user in users {
            switch planner.plan(user) {
            case .importing(let user): imports.append(user)
            case .refused(let reason): tally.refused(.users, String(user.id), reason)
            }
        }
        guard !imports.isEmpty else { return tally }
        let inserted = Set(try target.query(InsertUsers(users: imports)))
        _ = try target.query(InsertOpeningBalances(users: imports))
        for user in imports {
            tally.imported(.users)
            tally.changed(.users, user.changes)
            // Signed in to Srochno before the import: its row (names, settings) stays as it is.
            if !inserted.contains(user.id) { tally.changed(.users, ["already in Srochno: its row kept, the balance added"]) }
        }
        return tally
    }
}
