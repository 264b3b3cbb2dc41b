/// Bounds of paged lists (SPEC §6).
public enum Paging {
    /// The deepest page a list request may ask for. A page is found by walking an index past
    /// `offset` keys, so without a bound one cheap request could walk a whole history
    /// (offset=2147483647 on 400,000 past orders took up to 0.6 s).
    public static let maximumOffset = 10_000
}
