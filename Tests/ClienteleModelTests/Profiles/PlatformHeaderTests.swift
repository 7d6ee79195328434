@testable import ClienteleModel
import Testing

/// A file of another layout read with a platform profile is refused by its header, naming what is missing.
@Suite struct PlatformHeaderTests {
    @Test func aFileOfAnotherLayoutIsNamedAsSuch() {
        let woo = CSVColumns(["ID", "user_login", "user_email"])
        #expect(ShopifyProfile().headerProblem(woo)?.contains("'Customer ID'") == true)
        #expect(Magento2Profile().headerProblem(woo)?.contains("lacks email and _website") == true)
        #expect(PrestaShopProfile().headerProblem(woo)?.contains("'Email *'") == true)
        #expect(WooCommerceProfile().headerProblem(woo) == nil)
        #expect(WooCommerceProfile().headerProblem(CSVColumns(["ID", "email"]))?.contains("user_email") == true)
        #expect(WooCommerceProfile().headerProblem(CSVColumns(["Customer ID", "Email"]))?.contains("ID or customer_id") == true)
        #expect(ShopifyProfile().headerProblem(CSVColumns(ShopifyProfile.table.header)) == nil)
        #expect(Magento2Profile().headerProblem(CSVColumns(Magento2Profile.customerColumns)) == nil)
        #expect(PrestaShopProfile().headerProblem(CSVColumns(PrestaShopProfile.header)) == nil)
    }
}
