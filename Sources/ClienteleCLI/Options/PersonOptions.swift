import ArgumentParser
import Clientele

/// Whom a compliance request is about (`subject`, `erase`): `--email` or `--ref`, exactly one.
struct PersonOptions: ParsableArguments {
    @Option(help: "The person's email (compared trimmed and lowercased).")
    var email: String?

    @Option(help: "The customer's ref.")
    var ref: String?

    /// The request's subject; a bad or missing --email/--ref is a usage error (64).
    func query() throws -> SubjectQuery {
        do { return try SubjectQuery(email: email, ref: ref) } catch { throw ValidationError(error.description) }
    }

    func validate() throws {
        _ = try query()
    }
}
