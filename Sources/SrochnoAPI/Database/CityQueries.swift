import SrochnoPostgres

enum CityQueries {
    static let all = PreparedStatement("cities_all", "SELECT name FROM cities ORDER BY position")
    static let statements = [all]
}
