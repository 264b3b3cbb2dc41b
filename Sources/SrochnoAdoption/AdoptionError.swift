/// Why `srochno-adopt` stopped: a source it cannot read, a target that is not ready, another
/// run holding the import, or a statement that failed. Never carries a contact, a name or the
/// source's connection string.
public struct AdoptionError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
