import Glibc
public import SrochnoCore

/// The wall clock, read once per request so a request sees one consistent "now".
public func systemNow() -> Instant {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Instant(microseconds: Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000)
}
