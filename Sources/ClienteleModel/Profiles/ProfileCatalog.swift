/// The profiles `--from` and `--to` accept, by name (SPEC §6).
///
/// ```swift
/// ProfileCatalog.profile(named: "magento2")?.summary
/// ProfileCatalog.names   // ["canonical", "shopify", …]
/// ```
public enum ProfileCatalog {
    /// Every built-in profile, `canonical` first.
    public static let all: [any CustomerProfile] = [
        CanonicalProfile(),
        ShopifyProfile(),
        Magento2Profile(),
        SprykerProfile(),
        PrestaShopProfile(),
        WooCommerceProfile(),
        KiboProfile(),
        CommercetoolsProfile(),
        SFCCProfile(),
    ]

    /// The profile called `name`, if there is one.
    public static func profile(named name: String) -> (any CustomerProfile)? {
        all.first { $0.name == name }
    }

    /// The names, in catalog order.
    public static var names: [String] { all.map(\.name) }
}
