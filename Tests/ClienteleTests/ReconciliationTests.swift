import ClienteleFormats
import ClienteleModel
import Testing
@testable import Clientele

/// The rules of SPEC §3, one by one, on hand-made records.
@Suite struct ReconciliationTests {
    static func staged(_ seq: Int, _ json: String) -> StagedRecord {
        let value = try! JSONDocument.parse(Array(json.utf8))
        let mapped = CanonicalMapper().map(value)
        precondition(!mapped.hasErrors, "\(mapped.errors)")
        var c = mapped.customer
        c.ref = CustomerRefKey.builtIn.ref(system: "t", sourceID: mapped.sourceID!)
        c.sources = [SourceReference(system: "t", id: mapped.sourceID!, file: "f", line: seq + 1)]
        return StagedRecord(seq: seq, fileIndex: 0, line: seq + 1, recordNumber: seq, system: "t", sourceID: mapped.sourceID!,
                            customer: c, raw: .json(Array(json.utf8)))
    }

    let reconciler = EmailGroupReconciler(policy: .reject, fileNames: ["f"])

    @Test func firstRegisteredWinsAndTheOthersAreRejectedNamingIt() {
        let group = [Self.staged(1, #"{"id":"R1","kind":"registered","email":"a@x.io","updatedAt":"2020-01-01T00:00:00Z"}"#),
                     Self.staged(2, #"{"id":"R2","kind":"registered","email":"a@x.io","updatedAt":"2024-01-01T00:00:00Z"}"#)]
        let (customer, rejected) = reconciler.reconcile(group)
        #expect(customer?.members.map(\.record.sourceID) == ["R1"])
        #expect(rejected.count == 1)
        #expect(rejected.first?.0.sourceID == "R2")
        #expect(rejected.first?.1.code == .emailDuplicate)
        #expect(rejected.first?.1.message.contains("R1") == true)
    }

    @Test func keepLatestKeepsTheNewestUpdatedAt() {
        let latest = EmailGroupReconciler(policy: .keepLatest, fileNames: ["f"])
        let group = [Self.staged(1, #"{"id":"R1","kind":"registered","email":"a@x.io","updatedAt":"2020-01-01T00:00:00Z"}"#),
                     Self.staged(2, #"{"id":"R2","kind":"registered","email":"a@x.io","updatedAt":"2024-01-01T00:00:00Z"}"#),
                     Self.staged(3, #"{"id":"R3","kind":"registered","email":"a@x.io"}"#)]
        let (customer, rejected) = latest.reconcile(group)
        #expect(customer?.members.first?.record.sourceID == "R2")
        #expect(Set(rejected.map(\.0.sourceID)) == ["R1", "R3"])
    }

    @Test func guestsFoldIntoTheRegisteredAccount() {
        let group = [Self.staged(1, #"{"id":"G1","email":"a@x.io","firstName":"Old","orders":{"count":1,"totals":[{"currency":"EUR","amount":"10.10"}]},"createdAt":"2020-01-01T00:00:00Z"}"#),
                     Self.staged(2, #"{"id":"R1","kind":"registered","email":"a@x.io","acceptsMarketing":false,"orders":{"count":2,"totals":[{"currency":"EUR","amount":"0.90"},{"currency":"USD","amount":"5"}]}}"#),
                     Self.staged(3, #"{"id":"G2","email":"a@x.io","firstName":"New","acceptsMarketing":true,"phone":"+4930123456","orders":{"count":3,"totals":[{"currency":"EUR","amount":"1"}]},"updatedAt":"2024-01-01T00:00:00Z"}"#)]
        let (customer, rejected) = reconciler.reconcile(group)
        #expect(rejected.isEmpty)
        let c = customer!.customer
        #expect(c.kind == .registered)
        #expect(customer!.members.map(\.record.sourceID) == ["R1", "G1", "G2"])
        #expect(customer!.members.map(\.disposition) == [.written, .merged, .merged])
        #expect(c.firstName == "New", "empty fields are filled newest first")
        #expect(c.phone == "+4930123456")
        #expect(c.acceptsMarketing == false, "a merge never widens consent")
        #expect(c.orders?.count == 6)
        #expect(c.orders?.totals.map { "\($0.currency) \($0.amount)" } == ["EUR 12.00", "USD 5"])
        #expect(c.sources.map(\.id) == ["R1", "G1", "G2"])
    }

    @Test("unions keep first occurrences in input order, below and past the short-list limit")
    func unionsAcrossTheShortListLimit() {
        // 60 guests, 45 distinct groups and streets: the lists pass the limit (32) where the
        // merger switches from searching the list to hashing it.
        let group = (0..<60).map { i in
            Self.staged(i + 1, #"{"id":"G\#(i)","email":"a@x.io","groups":["g\#(i % 45)"],"addresses":[{"street1":"S\#(i % 45)","city":"Berlin"}],"createdAt":"2020-01-01T00:00:00Z"}"#)
        }
        let (customer, rejected) = reconciler.reconcile(group)
        #expect(rejected.isEmpty)
        let c = customer!.customer
        #expect(c.groups == (0..<45).map { "g\($0)" })
        #expect(c.addresses.count == 45)
        #expect(Set(c.addresses.compactMap(\.street1)) == Set((0..<45).map { "S\($0)" }))
        #expect(c.sources.count == 60)
    }

    @Test func withoutARegisteredAccountTheEarliestGuestSurvives() {
        let group = [Self.staged(1, #"{"id":"G1","email":"a@x.io","createdAt":"2022-01-01T00:00:00Z"}"#),
                     Self.staged(2, #"{"id":"G2","email":"a@x.io","createdAt":"2021-01-01T00:00:00Z"}"#),
                     Self.staged(3, #"{"id":"G3","email":"a@x.io"}"#)]
        let (customer, _) = reconciler.reconcile(group)
        #expect(customer?.members.map(\.record.sourceID) == ["G2", "G1", "G3"])
        #expect(customer?.customer.ref == group[1].customer.ref)
    }

    @Test func addressesAreUnionedWithoutDuplicatesAndOneDefaultOfEachKind() {
        let a = #"{"street1":"Hauptstr. 1","city":"Berlin","country":"DE","defaultBilling":true,"defaultShipping":true}"#
        let b = #"{"street1":"HAUPTSTR. 1","city":"berlin","country":"de","defaultBilling":true}"#
        let c = #"{"street1":"Ring 2","city":"Köln","country":"DE","defaultShipping":true}"#
        let group = [Self.staged(1, #"{"id":"R1","kind":"registered","email":"a@x.io","addresses":[\#(a)]}"#),
                     Self.staged(2, #"{"id":"G1","email":"a@x.io","addresses":[\#(b),\#(c)]}"#)]
        let merged = reconciler.reconcile(group).customer!.customer
        #expect(merged.addresses.map(\.street1) == ["Hauptstr. 1", "Ring 2"])
        #expect(merged.addresses.filter(\.defaultBilling).count == 1)
        #expect(merged.addresses.filter(\.defaultShipping).count == 1)
    }
}
