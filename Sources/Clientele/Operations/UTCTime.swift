#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ClienteleModel

/// The current time in the archive's form (RFC 3339, UTC, whole seconds), from the system clock
/// without Foundation.
///
/// ```swift
/// UTCTime.now().description   // "2025-03-01T02:00:07Z"
/// ```
public enum UTCTime {
    /// Now, to the second.
    public static func now() -> Timestamp {
        // Built from gmtime_r's fields; Timestamp parses its own canonical form, so this cannot fail.
        Timestamp(text(of: time(nil)))!
    }

    /// `seconds` since the epoch as `YYYY-MM-DDTHH:MM:SSZ`.
    static func text(of seconds: time_t) -> String {
        var t = seconds
        var parts = tm()
        _ = gmtime_r(&t, &parts)
        func pad(_ n: Int32, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-" + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":" + pad(parts.tm_sec, 2) + "Z"
    }
}
