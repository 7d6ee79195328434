import ClienteleFormats
import ClienteleModel
import Foundation
import PropertyBased
import Testing
import ClienteleTestSupport
@testable import Clientele

/// Erasure by anonymization on generated customers: nothing personal survives, the figures do,
/// it is idempotent, and an anonymized customer re-imports as it is.
@Suite(.serialized) struct AnonymizerTests {
    static let erasedAt = Timestamp("2025-01-02T03:04:05Z")!

    /// Every string leaf of a JSON value.
    static func leaves(_ value: JSONValue) -> [String] {
        switch value {
        case let .string(s): return [s]
        case let .number(n): return [n]
        case let .array(items): return items.flatMap(leaves)
        case let .object(members): return members.flatMap { leaves($0.value) }
        default: return []
        }
    }

    /// The values of `record` that identify the person (what erasure must remove).
    static func personalValues(_ c: CustomerRecord) -> [String] {
        var values = [c.email?.value, c.username, c.passwordHash?.value, c.firstName, c.middleName, c.lastName, c.phone,
                      c.company, c.taxVat, c.dateOfBirth].compactMap { $0 }
        for a in c.addresses {
            values += [a.firstName, a.lastName, a.company, a.street1, a.street2, a.phone].compactMap { $0 }
        }
        values += c.notes.map(\.text) + Array(c.attributes.values) + c.wishlist
        return values.filter { $0.count >= 3 }
    }

    @Test func anonymizedCustomersHoldNoPersonalValueKeepTheFiguresAndReimportUnchanged() async throws {
        await propertyCheck(count: 4, input: Gen.int(in: 20...300), Gen.int(in: 0...10_000)) { count, seed in
            let scratch = try! TemporaryDirectory()
            let input = try! ImportPropertyTests.generate(count, seed: UInt64(seed), format: .csv, in: scratch)
            let (archive, _) = try! ImportPropertyTests.importArchive([input], into: scratch)
            let reader = try! ArchiveReader(path: archive + "/customers.jsonl")
            var pseudonyms = Set<String>()
            while let customer = try! reader.next() {
                let original = try! customer.record()
                let erased = Anonymizer.anonymize(original, at: Self.erasedAt)

                let left = Self.leaves(erased.jsonValue)
                for value in Self.personalValues(original) {
                    #expect(!left.contains { $0.contains(value) }, "\(customer.ref) keeps '\(value)'")
                }
                #expect(erased.notes.isEmpty && erased.passwordHash == nil && erased.attributes.isEmpty && erased.wishlist.isEmpty)
                #expect(erased.addresses.allSatisfy { $0.country != nil && $0.street1 == nil && $0.city == nil && $0.postalCode == nil })

                // The figures, the ref, the groups stay.
                #expect(erased.ref == original.ref && erased.kind == original.kind)
                #expect(erased.orders == original.orders && erased.storeCredit == original.storeCredit)
                #expect(erased.groups == original.groups && erased.sites == original.sites)
                #expect(erased.sources.count == original.sources.count)
                #expect(erased.sources.allSatisfy { $0.id == Anonymizer.erasedSourceID })
                #expect(erased.anonymizedAt == Self.erasedAt)
                if erased.kind == .registered {
                    #expect(erased.status == .disabled && erased.passwordResetRequired)
                }

                // A unique, valid address that is not the original.
                if let email = erased.email {
                    #expect(NormalizedEmail(validating: email.value) == email)
                    #expect(email != original.email)
                    #expect(pseudonyms.insert(email.value).inserted, "\(email.value) twice")
                } else {
                    #expect(original.email == nil && original.kind == .guest)
                }

                // Idempotent, whatever the time of the second erasure.
                #expect(Anonymizer.anonymize(erased, at: Timestamp("2031-01-01T00:00:00Z")!) == erased)
                // Valid canonical input that maps back to itself (re-importing the archive keeps it).
                let mapped = CanonicalMapper().map(erased.jsonValue)
                #expect(!mapped.hasErrors, "\(mapped.errors)")
                #expect(mapped.customer == erased)
            }
        }
    }

    @Test func theAnonymizedEmailIsDerivedFromTheRef() {
        let ref = CustomerRef(validating: "C8BZ0HHBJHNDGS66G0MSE")!
        #expect(Anonymizer.email(for: ref).value == "erased-c8bz0hhbjhndgs66g0mse@erased.invalid")
        #expect(NormalizedEmail(validating: Anonymizer.email(for: ref).value) != nil)
    }

    @Test func guestsGetNoStatusAndAddressesWithoutCountryGo() {
        var guest = CustomerRecord()
        guest.ref = CustomerRef(validating: "C06Z2KFGEVSFZ6ZW0CWEF")
        guest.kind = .guest
        var home = Address()
        home.street1 = "Xylophonweg 7"
        home.city = "Quedlinburg"
        var shop = Address()
        shop.city = "Goslar"
        shop.country = "DE"
        shop.defaultBilling = true
        guest.addresses = [home, shop, shop]
        guest.acceptsMarketing = true
        let erased = Anonymizer.anonymize(guest, at: Self.erasedAt)
        #expect(erased.status == nil && erased.email == nil && erased.username == nil)
        #expect(erased.acceptsMarketing == false)
        var expected = Address()
        expected.country = "DE"
        expected.defaultBilling = true
        #expect(erased.addresses == [expected])
        #expect(erased.updatedAt == Self.erasedAt)
    }
}
