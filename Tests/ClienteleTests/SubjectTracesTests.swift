import ClienteleFormats
import ClienteleModel
import Testing
@testable import Clientele

/// Which rejected records belong to the subject of a request.
@Suite struct SubjectTracesTests {
    static func reject(raw: [(String, JSONValue)], message: String = "bad") -> JSONValue {
        .object([
            JSONMember("source", .object([JSONMember("file", .string("in.csv")), JSONMember("line", .number("2")), JSONMember("record", .number("1"))])),
            JSONMember("errors", .array([.object([JSONMember("code", .string("date.invalid")), JSONMember("field", .string("dateOfBirth")),
                                                  JSONMember("message", .string(message))])])),
            JSONMember("raw", .object(raw.map { JSONMember($0.0, $0.1) })),
        ])
    }

    let traces: SubjectTraces = {
        var t = SubjectTraces(query: .email(NormalizedEmail(validating: "ann@example.com")!))
        var c = CustomerRecord()
        c.ref = CustomerRef(validating: "C8BZ0HHBJHNDGS66G0MSE")
        c.email = NormalizedEmail(validating: "ann@example.com")
        c.sources = [SourceReference(system: "shop", id: "1001", file: "in.csv", line: 2)]
        t.add(c)
        return t
    }()

    @Test func anEmailInAnyCaseOrSpacingIsTheSubjects() {
        #expect(traces.concerns(reject: Self.reject(raw: [("email", .string("  ANN@Example.COM "))])))
        #expect(traces.concerns(reject: Self.reject(raw: [("contact", .object([JSONMember("mail", .string("ann@example.com"))]))])))
    }

    @Test func theRefOrAMessageQuotingTheEmailIsTheSubjects() {
        #expect(traces.concerns(reject: Self.reject(raw: [("ref", .string("C8BZ0HHBJHNDGS66G0MSE"))])))
        #expect(traces.concerns(reject: Self.reject(raw: [("email", .string("ANN@"))], message: "'ann@example.com' already belongs to registered account 1001")))
    }

    @Test func someoneElseReusingTheIdOrSharingASubstringIsNot() {
        // id.duplicate: the customer's id, but another person's data.
        #expect(!traces.concerns(reject: Self.reject(raw: [("id", .string("1001")), ("email", .string("someone.else@example.com"))],
                                                      message: "id '1001' was already read at in.csv:2")))
        #expect(!traces.concerns(reject: Self.reject(raw: [("email", .string("joann@example.com"))])))
        #expect(!traces.concerns(reject: Self.reject(raw: [("email", .string("ann@example.com.evil"))])))
    }
}
