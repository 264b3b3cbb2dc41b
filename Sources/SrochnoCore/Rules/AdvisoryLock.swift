/// Every PostgreSQL advisory lock the executables take, in one place so no two uses share a
/// key by accident (migrations, the store and the jobs each use their own). Single keys are bigints; `contact` is the first of two int4 keys (the second
/// is a hash of the normalised contact), a key space PostgreSQL keeps apart from single keys.
public enum AdvisoryLock: Int, Sendable {
    /// Session lock of srochno-migrate: deployments on several hosts migrate one at a time.
    case migrations = 726001
    /// Transaction lock the closers take turns on, batch by batch.
    case closerTurn = 726002
    /// Transaction lock per contact, taken by every write that makes a contact active (create,
    /// a contact change), so the one-active-order-per-contact rule is decided by statements
    /// that succeed instead of by a unique violation that PostgreSQL logs with the contact.
    case contact = 726003
    /// Session lock of srochno-adopt: one import of the old backend's database at a time.
    case adoption = 726004
}
