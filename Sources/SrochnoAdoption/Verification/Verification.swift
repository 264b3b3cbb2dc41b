/// The checks that end every run: printed, and any failure makes `srochno-adopt` exit 1.
public struct Verification: Sendable {
    public struct Check: Sendable {
        public let name: String
        public let passed: Bool
        public let summary: String
        /// A few of the rows that differ, by id and amount only.
        public let examples: [String]
    }

    public var checks: [Check] = []

    public var passed: Bool { checks.allSatisfy(\.passed) }

    public func check(_ name: String) -> Check? { checks.first { $0.name == name } }

    public var lines: [String] {
        var lines = ["verification"]
        for check in checks {
            lines.append("  \(check.passed ? "ok      " : "MISMATCH") \(check.name): \(check.summary)")
            for example in check.examples { lines.append("             \(example)") }
        }
        return lines
    }

    mutating func add(_ name: String, passed: Bool, _ summary: String, examples: [String] = []) {
        checks.append(Check(name: name, passed: passed, summary: summary, examples: Array(examples.prefix(Self.examplesShown))))
    }

    static let examplesShown = 10
}
