import SrochnoCore
import Testing

/// `GET /api/cities?search=` (SPEC §6 Service): the whole list, or a case-insensitive
/// substring match; `search` must have 1–100 characters.
@Suite struct CityTests {
    private func cities(_ response: HTTPResult) throws -> [String] {
        guard case .array(let values) = try response.json() else { return [] }
        return values.compactMap(\.stringValue)
    }

    @Test func withoutSearchAllCitiesAreListedInListOrder() throws {
        let stack = try TestStack()
        let response = try stack.client.get("/api/cities")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        let names = try cities(response)
        #expect(names.count == 1066)
        #expect(Set(names).count == 1066)
        #expect(names.first == "Абакан")
        #expect(names.contains("Москва"))
        #expect(names.contains("Санкт-Петербург"))
    }

    @Test(arguments: ["моск", "МОСК", "Моск", "мОсКв"])
    func searchIsACaseInsensitiveSubstringMatch(_ search: String) throws {
        let stack = try TestStack()
        let response = try stack.client.get("/api/cities?search=\(queryEncoded(search))")
        #expect(response.status == 200)
        let names = try cities(response)
        #expect(names.contains("Москва"))
        #expect(!names.isEmpty)
        #expect(names.allSatisfy { $0.lowercased().contains(search.lowercased()) })
    }

    @Test func searchMatchesInsideNamesNotOnlyAtTheStart() throws {
        let stack = try TestStack()
        let names = try cities(try stack.client.get("/api/cities?search=\(queryEncoded("петербург"))"))
        #expect(names == ["Санкт-Петербург"])
    }

    @Test func searchWithNoMatchIsAnEmptyList() throws {
        let stack = try TestStack()
        let response = try stack.client.get("/api/cities?search=zzzz")
        #expect(response.status == 200)
        #expect(response.text == "[]")
    }

    @Test func searchOfOneHundredCharactersIsAccepted() throws {
        let stack = try TestStack()
        let response = try stack.client.get("/api/cities?search=\(queryEncoded(String(repeating: "я", count: 100)))")
        #expect(response.status == 200)
        #expect(response.text == "[]")
    }

    @Test func emptySearchIsRejected() throws {
        let stack = try TestStack()
        let response = try stack.client.get("/api/cities?search=")
        expectValidationError(response, at: ["query", "search"], type: "string_too_short")
    }

    @Test func searchOfOneHundredAndOneCharactersIsRejected() throws {
        let stack = try TestStack()
        let response = try stack.client.get("/api/cities?search=\(queryEncoded(String(repeating: "я", count: 101)))")
        expectValidationError(response, at: ["query", "search"], type: "string_too_long")
    }
}
