@testable import SrochnoStore
import SrochnoCore
import Testing

/// The takes column (`executor:epoch_us` pairs) as `OrderColumns.related` writes it.
@Suite struct OrderRowTakesTests {
    @Test func parsesPairsInOrder() {
        #expect(OrderRecord.takes("").isEmpty)
        let takes = OrderRecord.takes("5:1795788185123456,7001234567:1795788185000001,9:-2000")
        #expect(takes.map(\.executorID) == [5, 7_001_234_567, 9])
        #expect(
            takes.map(\.takenAt) == [
                Instant(microseconds: 1_795_788_185_123_456), Instant(microseconds: 1_795_788_185_000_001), Instant(microseconds: -2000),
            ])
    }
}
