import Foundation
import Testing
import ClienteleTestSupport

/// The platform profiles end to end through the binary: each sample imports with `--from`, exports
/// with `--to` in the platform's layout, and imports again to the same customers (but for their
/// provenance and what the platform cannot carry). The imports themselves are golden cases
/// (`Cases/profile-*`).
@Suite(.serialized) struct CSVPlatformProfileCommandTests {
    static let samples = TestPaths.sampleData + "/profiles"

    /// The customers of an archive by ref, without `sources` (file and line differ by design).
    static func customers(_ archive: String) throws -> [String: NSDictionary] {
        let text = try String(contentsOfFile: archive + "/customers.jsonl", encoding: .utf8)
        var byRef: [String: NSDictionary] = [:]
        for line in text.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            var customer = object
            customer["sources"] = nil
            byRef[object["ref"] as! String] = customer as NSDictionary
        }
        return byRef
    }

    /// Imports `sample` with `profile`, exports it to the platform, imports the export: both archives.
    static func roundTrip(_ profile: String, _ sample: String, in dir: String) throws -> (first: [String: NSDictionary], second: [String: NSDictionary], export: String) {
        let first = try CLIRunner.run(["import", samples + "/" + sample, "--from", profile, "--out", "a", "--quiet"], in: dir)
        #expect(first.status == 1, "the samples hold rejected records: \(first.stderr)")
        let export = try CLIRunner.run(["export", "a", "--to", profile, "--out", "back.csv"], in: dir)
        #expect(export.status == 0, "\(export.stderr)")
        let again = try CLIRunner.run(["import", "back.csv", "--from", profile, "--out", "b", "--quiet"], in: dir)
        #expect(again.status == 0, "an export imports without rejects: \(again.stderr)")
        return (try customers(dir + "/a"), try customers(dir + "/b"), try String(contentsOfFile: dir + "/back.csv", encoding: .utf8))
    }

    @Test func shopifyRoundTrip() throws {
        let scratch = try TemporaryDirectory()
        let (first, second, export) = try Self.roundTrip("shopify", "shopify/customers_export.csv", in: scratch.path)
        #expect(first.count == 7 && Set(first.keys) == Set(second.keys))
        #expect(export.hasPrefix("Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"))
        #expect(export.contains("'7210448301101,Anna,Schmidt,anna.schmidt@example.de,yes,,Hauptstraße 5,2. OG,Berlin,BE,DE,'10115,'+49301234567,"))
        for (ref, customer) in first {
            let expected = customer.mutableCopy() as! NSMutableDictionary
            // Shopify keeps one address: the folded guest's second one cannot travel.
            if let addresses = expected["addresses"] as? [Any], addresses.count > 1 { expected["addresses"] = [addresses[0]] }
            #expect(second[ref] == expected, "\(ref)")
        }
    }

    @Test func magento2RoundTrip() throws {
        let scratch = try TemporaryDirectory()
        let (first, second, export) = try Self.roundTrip("magento2", "magento2/customer_composite.csv", in: scratch.path)
        #expect(first.count == 6)
        #expect(first == second)
        // The composite layout: 6 customers on 9 rows (extra addresses on rows of their own).
        let rows = export.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(rows.first?.hasPrefix("email,_website,_store,confirmation,created_at,") == true)
        #expect(rows.filter { $0.hasPrefix(",,,,,,,") }.count == 3)
        #expect(export.contains("anthony.nealy@example.com,base,default,,5/6/2012 15:53:00,,0,3/4/1976,Anthony,Male,1,Nealy,A.,"))
    }

    @Test func magento2RejectsFeedBackAsTheyAre() throws {
        let scratch = try TemporaryDirectory()
        #expect(try CLIRunner.run(["import", Self.samples + "/magento2/customer_composite.csv", "--from", "magento2", "--out", "a", "--quiet"],
                                  in: scratch.path).status == 1)
        let rejects = try String(contentsOfFile: scratch.path + "/a/rejects.csv", encoding: .utf8)
        #expect(rejects.contains("\n,,,,,,,,,,,,,,,,,,,,,,Basel,"), "the rejected customer's extra address row comes along")
        let again = try CLIRunner.run(["import", "a/rejects.csv", "--from", "magento2", "--out", "b"], in: scratch.path)
        #expect(again.status == 1)
        #expect(again.stderr.contains("read 4, written 1, merged 0, rejected 3"), "\(again.stderr)")
    }

    @Test func wooCommerceRoundTrip() throws {
        let scratch = try TemporaryDirectory()
        let (first, second, export) = try Self.roundTrip("woocommerce", "woocommerce/Customer-Export-2024_05_06_10_15_00.csv", in: scratch.path)
        #expect(first.count == 6)
        #expect(first == second)
        #expect(export.hasPrefix("ID,customer_id,user_login,user_pass,user_nicename,user_email,"))
        // The two guests folded into Grace's account: her two addresses go out as billing and shipping.
        let grace = first.values.first { $0["username"] as? String == "ghopper" }
        #expect((grace?["addresses"] as? [Any])?.count == 2)
    }

    @Test func prestaShopRoundTrip() throws {
        let scratch = try TemporaryDirectory()
        let (first, second, export) = try Self.roundTrip("prestashop", "prestashop/customers_import.csv", in: scratch.path)
        #expect(first.count == 7 && Set(first.keys) == Set(second.keys))
        #expect(export.hasPrefix("Customer ID;Active (0/1);Titles ID (Mr = 1, Ms = 2, else 0);Email *;Password *;"))
        for (ref, customer) in first {
            let expected = customer.mutableCopy() as! NSMutableDictionary
            // The password column takes plaintext: a hash cannot go back, so the customer must reset.
            if expected["passwordHash"] != nil {
                expected["passwordHash"] = nil
                expected["passwordResetRequired"] = true
            }
            #expect(second[ref] == expected, "\(ref)")
        }
    }

    @Test func aFileOfAnotherPlatformIsRefusedByItsHeader() throws {
        let scratch = try TemporaryDirectory()
        let run = try CLIRunner.run(["import", Self.samples + "/woocommerce/Customer-Export-2024_05_06_10_15_00.csv", "--from", "shopify",
                                     "--out", "a"], in: scratch.path)
        #expect(run.status == 65)
        #expect(run.stderr.contains("'Customer ID'"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/a"))
    }
}
