import ClienteleFormats

/// Spryker Commerce OS: the `customer.csv` of its data importer (`console data:import:customer`).
///
/// Every row is a customer account (`spy_customer`): Spryker keeps no guest customers (a guest
/// checkout creates an order, not a customer), so every row is read as `registered` (a row without
/// `password` is an account the customer still has to set a password for) and `export` leaves
/// guests out. `customer_reference` is the account's id. Values follow `spy_customer`: `gender` is
/// `Male`/`Female`, `salutation` one of `Mr`, `Mrs`, `Dr`, `Ms`, dates are `YYYY-MM-DD`,
/// `password` is the stored hash (bcrypt `$2y$…` from Symfony's password hasher), `locale_name` a
/// POSIX-style locale (`de_DE`).
///
/// What does not round-trip (the file has no column for it): status, username (Spryker logs in by
/// email), middle name, tax number, groups, sites, marketing consent, addresses (Spryker has no
/// customer address importer), notes, order summary, store credit, wishlist, attributes,
/// `updatedAt`, and the time of day of `createdAt` (`registered` is a date).
///
/// ```swift
/// let draft = SprykerProfile().draft(from: .rows(group))   // a row of customer.csv
/// ```
public struct SprykerProfile: CustomerProfile {
    public init() {}

    public var name: String { "spryker" }
    public var summary: String { "Spryker data importer customer.csv (customer_reference, locale_name, …, password, registered)" }
    public var input: ProfileInput { ProfileInput(format: .csv, delimiter: UInt8(ascii: ",")) }

    static let date = DatePattern(known: "yyyy-MM-dd")

    /// The columns, in the order of Spryker's own file.
    /// Layout: spryker-shop/b2b-demo-shop `data/import/common/common/customer.csv` (and b2c-demo-shop);
    /// columns and allowed values: spryker/spryker-docs `docs/pbc/all/customer-relationship-management/
    /// 202212.0/base-shop/import-and-export-data/file-details-customer.csv.md`; types:
    /// spryker/spryker-core `Bundles/Customer/src/Spryker/Zed/Customer/Persistence/Propel/Schema/spy_customer.schema.xml`.
    static let table = ColumnTable([
        ColumnRule("customer_reference", "id"),
        ColumnRule("locale_name", "locale"),
        ColumnRule("phone", "phone"),
        ColumnRule("email", "email"),
        ColumnRule("salutation", "salutation"),
        ColumnRule("first_name", "firstName"),
        ColumnRule("last_name", "lastName"),
        ColumnRule("company", "company"),
        ColumnRule("gender", "gender", .mapped([("Male", "male"), ("Female", "female")])),
        ColumnRule("date_of_birth", "dateOfBirth", .date(date)),
        ColumnRule("password", "passwordHash"),
        ColumnRule("registered", "createdAt", .timestamp(date)),
    ])

    public func unknownColumns(_ columns: CSVColumns) -> [String] { Self.table.unknownColumns(columns) }

    public func headerProblem(_ columns: CSVColumns) -> String? {
        let missing = ["customer_reference", "email"].filter { !columns.contains($0) }
        return missing.isEmpty ? nil : "a Spryker customer.csv needs the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))"
    }

    public func draft(from record: ProfileRecord) -> CanonicalDraft {
        var draft = CanonicalDraft()
        switch record {
        case let .rows(group):
            Self.table.read(group.first, into: &draft)
        case .tree:
            draft.issue(.recordMalformed, "", "a Spryker customer.csv record must be a CSV row")
        }
        // spy_customer holds accounts only.
        draft.set("kind", "registered")
        return draft
    }

    public var export: ProfileExport { .csv(header: Self.table.header, delimiter: UInt8(ascii: ",")) }

    public func exportRecord(_ customer: CustomerRecord) -> ExportedRecord {
        // No guest accounts in Spryker; a guest's email may also belong to an account (unique in spy_customer).
        guard customer.kind == .registered else { return .rows([]) }
        var cells = Self.table.write(customer)
        cells[0] = customer.sources.first?.id ?? customer.ref?.value ?? ""
        cells[1] = customer.locale.map { $0.replacingAll("-", with: "_") } ?? ""
        // The hash as stored, usable or not: Spryker's column carries whatever the source had.
        cells[10] = customer.passwordHash?.value ?? ""
        return .rows([cells])
    }
}
