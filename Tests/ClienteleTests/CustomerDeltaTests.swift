import ClienteleFormats
import Testing
@testable import Clientele

/// What counts as a change between two versions of a customer.
@Suite struct CustomerDeltaTests {
    static func customer(_ members: [(String, JSONValue)]) -> JSONValue { .object(members.map { JSONMember($0.0, $0.1) }) }
    static func source(_ id: String, file: String, line: Int) -> JSONValue {
        .object([JSONMember("system", .string("shop")), JSONMember("id", .string(id)), JSONMember("file", .string(file)),
                 JSONMember("line", .number(String(line)))])
    }

    @Test func provenanceIsNotAChange() {
        let old = Self.customer([("ref", .string("C1")), ("email", .string("a@b.de")), ("sources", .array([Self.source("7", file: "mon.csv", line: 2)]))])
        let new = Self.customer([("ref", .string("C1")), ("email", .string("a@b.de")), ("sources", .array([Self.source("7", file: "tue.csv", line: 90)]))])
        #expect(CustomerDelta.changedFields(old: old, new: new) == [])
    }

    @Test func anotherSourceIdOrAFoldedRecordIsAChange() {
        let old = Self.customer([("ref", .string("C1")), ("sources", .array([Self.source("7", file: "a", line: 2)]))])
        let other = Self.customer([("ref", .string("C1")), ("sources", .array([Self.source("8", file: "a", line: 2)]))])
        let more = Self.customer([("ref", .string("C1")), ("sources", .array([Self.source("7", file: "a", line: 2), Self.source("9", file: "a", line: 3)]))])
        #expect(CustomerDelta.changedFields(old: old, new: other) == ["sources"])
        #expect(CustomerDelta.changedFields(old: old, new: more) == ["sources"])
    }

    @Test func fieldsComeInSpecOrderWhetherAddedRemovedOrChanged() {
        let old = Self.customer([("ref", .string("C1")), ("phone", .string("+491")), ("lastName", .string("Lee")), ("updatedAt", .string("2024-01-01T00:00:00Z"))])
        let new = Self.customer([("ref", .string("C1")), ("email", .string("a@b.de")), ("lastName", .string("Li")), ("updatedAt", .string("2024-01-01T00:00:00Z"))])
        #expect(CustomerDelta.changedFields(old: old, new: new) == ["email", "lastName", "phone"])
    }
}
