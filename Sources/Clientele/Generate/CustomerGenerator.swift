import ClienteleFormats
import ClienteleIO
import ClienteleModel

/// Generates realistic, messy customer exports for tests and benchmarks, the same for the same seed.
///
/// The mess is what real exports have: guests sharing an email with each other and with a
/// registered account (in case and space variants), duplicate registered emails, invalid rows
/// (bad email, impossible date, unknown country, bad locale), non-ASCII names, embedded newlines,
/// weak and plaintext passwords. Every record has two addresses.
///
/// ```swift
/// var generator = CustomerGenerator(seed: 42)
/// let record = generator.next()   // a JSONValue in the canonical layout
/// ```
public struct CustomerGenerator {
    private var rng: SplitMixRandom
    private var index = 0
    private var emails: [String] = []
    private var registeredEmails: [String] = []

    public init(seed: UInt64) {
        rng = SplitMixRandom(seed: seed)
    }

    /// The CSV columns of a generated record (flattened canonical names).
    public static let csvColumns: [String] = {
        let address = ["firstName", "lastName", "street1", "street2", "city", "region", "postalCode", "country", "phone",
                       "defaultBilling", "defaultShipping"]
        return ["id", "kind", "email", "username", "passwordHash", "password", "status", "firstName", "lastName", "gender",
                "dateOfBirth", "phone", "company", "locale", "groups.0", "groups.1", "acceptsMarketing"]
            + address.map { "addresses.0.\($0)" } + address.map { "addresses.1.\($0)" }
            + ["notes.0.text", "notes.0.createdAt", "orders.count", "orders.totals.0.currency", "orders.totals.0.amount",
               "orders.lastOrderAt", "attributes.loyaltyTier", "createdAt", "updatedAt"]
    }()

    static let firstNames = ["Anna", "Jonas", "Lea", "Lukas", "Sofia", "Noah", "Mia", "Elias", "Emma", "Paul", "José", "Zoë",
                             "Łukasz", "Chloé", "Søren", "Ana María", "Björn", "Ayşe", "Dmitri", "Yuki", "Oğuz", "François"]
    static let lastNames = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "García",
                            "Smith", "Johnson", "Brown", "Nowak", "Kowalski", "Dubois", "Rossi", "Jensen", "Yılmaz",
                            "O'Brien", "van der Berg", "山田", "Ivanova"]
    static let cities: [(String, String, String, String)] = [
        ("Berlin", "BE", "10115", "DE"), ("München", "BY", "80331", "DE"), ("Hamburg", "HH", "20095", "DE"),
        ("Wien", "W", "1010", "AT"), ("Zürich", "ZH", "8001", "CH"), ("Paris", "IDF", "75001", "FR"),
        ("Madrid", "MD", "28001", "ES"), ("New York", "NY", "10001", "US"), ("Austin", "TX", "73301", "US"),
        ("London", "LND", "EC1A 1BB", "GB"), ("Kraków", "MA", "30-001", "PL"), ("Milano", "MI", "20121", "IT"),
    ]
    static let streets = ["Hauptstraße", "Bahnhofstr.", "Main St", "Rue de la Paix", "Calle Mayor", "Baker Street",
                          "Via Roma", "Lindenallee", "Market Street", "ul. Floriańska"]
    static let domains = ["example.com", "mail.example", "shop.example.org", "example.net", "beispiel.de"]

    /// The next generated record.
    public mutating func next() -> JSONValue {
        index += 1
        let roll = rng.below(1000)
        let isGuest = roll < 400
        var m: [JSONMember] = []
        func put(_ k: String, _ v: String) { m.append(JSONMember(k, .string(v))) }

        let first = pick(Self.firstNames), last = pick(Self.lastNames)
        var email: String
        if isGuest && !emails.isEmpty && rng.below(100) < 45 {
            email = emails[rng.below(min(emails.count, 5000)) + max(0, emails.count - 5000)]
        } else if !isGuest && !registeredEmails.isEmpty && rng.below(100) < 2 {
            email = registeredEmails[rng.below(registeredEmails.count)]  // a duplicate registration
        } else {
            let local = (first + "." + last).unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0 == ".") }
            email = String(String.UnicodeScalarView(local)).lowercased() + "\(index)@" + pick(Self.domains)
        }
        emails.append(email)
        if emails.count > 20000 { emails.removeFirst(10000) }
        if !isGuest { registeredEmails.append(email); if registeredEmails.count > 5000 { registeredEmails.removeFirst(2500) } }
        // Case and space variants of the same address.
        switch rng.below(10) {
        case 0: email = email.uppercased()
        case 1: email = "  " + email + " "
        case 2: email = email.prefix(1).uppercased() + email.dropFirst()
        default: break
        }

        put("id", (isGuest ? "G" : "R") + String(index))
        put("kind", isGuest ? "guest" : "registered")
        // Invalid rows, about 2 %.
        let defect = rng.below(1000)
        put("email", defect < 5 ? email.replacingAll("@", with: " ") : email)
        if !isGuest {
            switch rng.below(20) {
            case 0: put("passwordHash", md5Like())
            case 1: put("password", "hunter\(rng.below(100))")
            default: put("passwordHash", "$2y$10$" + base64Like(53))
            }
            put("status", rng.below(50) == 0 ? "locked" : "active")
        }
        put("firstName", first)
        put("lastName", last)
        if rng.below(3) == 0 { put("gender", rng.below(2) == 0 ? "female" : "male") }
        if rng.below(2) == 0 {
            put("dateOfBirth", defect >= 5 && defect < 10 ? "31/02/19\(50 + rng.below(50))"
                : "19\(50 + rng.below(50))-0\(1 + rng.below(9))-\(10 + rng.below(18))")
        }
        let city = pick(Self.cities)
        if rng.below(2) == 0 { put("phone", phoneNumber(city.3)) }
        if rng.below(8) == 0 { put("company", last + " GmbH") }
        put("locale", defect >= 10 && defect < 15 ? "deutsch" : ["de-DE", "en_US", "fr-FR", "es-ES", "de-AT", "en-GB"][rng.below(6)])
        var groups: [JSONValue] = [.string(["General", "Retail", "Wholesale"][rng.below(3)])]
        if rng.below(4) == 0 { groups.append(.string("VIP")) }
        m.append(JSONMember("groups", .array(groups)))
        m.append(JSONMember("acceptsMarketing", .bool(rng.below(3) == 0)))
        let second = pick(Self.cities)
        m.append(JSONMember("addresses", .array([
            address(first, last, city, country: defect >= 15 && defect < 20 ? "XX" : city.3, billing: true),
            address(first, last, second, country: second.3, billing: false),
        ])))
        if rng.below(10) == 0 {
            m.append(JSONMember("notes", .array([.object([
                JSONMember("text", .string("Called about order \(rng.below(90000) + 10000).\nPrefers \"express\" delivery, left at door")),
                JSONMember("createdAt", .string(timestamp(2023))),
            ])])))
        }
        let orders = rng.below(12)
        if orders > 0 {
            m.append(JSONMember("orders", .object([
                JSONMember("count", .number(String(orders))),
                JSONMember("totals", .array([.object([
                    JSONMember("currency", .string(city.3 == "US" ? "USD" : city.3 == "GB" ? "GBP" : "EUR")),
                    JSONMember("amount", .string("\(rng.below(5000) + 10).\(rng.below(90) + 10)")),
                ])])),
                JSONMember("lastOrderAt", .string(timestamp(2025))),
            ])))
        }
        if rng.below(5) == 0 { m.append(JSONMember("attributes", .object([JSONMember("loyaltyTier", .string(["gold", "silver", "bronze"][rng.below(3)]))]))) }
        put("createdAt", timestamp(2019 + rng.below(4)))
        put("updatedAt", timestamp(2024))
        return .object(m)
    }

    // MARK: - Pieces

    private mutating func pick<T>(_ items: [T]) -> T { items[rng.below(items.count)] }

    private mutating func address(_ first: String, _ last: String, _ city: (String, String, String, String), country: String, billing: Bool) -> JSONValue {
        var m = [JSONMember("firstName", .string(first)), JSONMember("lastName", .string(last)),
                 JSONMember("street1", .string("\(pick(Self.streets)) \(rng.below(200) + 1)"))]
        if rng.below(15) == 0 { m.append(JSONMember("street2", .string("c/o \(pick(Self.lastNames))\nHinterhaus, 3. OG"))) }
        m += [JSONMember("city", .string(city.0)), JSONMember("region", .string(city.1)),
              JSONMember("postalCode", .string(city.2)), JSONMember("country", .string(country))]
        if rng.below(3) == 0 { m.append(JSONMember("phone", .string(phoneNumber(city.3)))) }
        m += [JSONMember("defaultBilling", .bool(billing)), JSONMember("defaultShipping", .bool(billing))]
        return .object(m)
    }

    private mutating func phoneNumber(_ country: String) -> String {
        switch country {
        case "US": return "(\(200 + rng.below(700))) 555-\(1000 + rng.below(9000))"
        case "DE": return "0\(30 + rng.below(60)) \(1_000_000 + rng.below(8_999_999))"
        default: return "+\([33, 34, 41, 43, 44, 48, 39][rng.below(7)]) \(100_000_000 + rng.below(899_999_999))"
        }
    }

    private mutating func timestamp(_ year: Int) -> String {
        "\(year)-\(pad(1 + rng.below(12)))-\(pad(1 + rng.below(28)))T\(pad(rng.below(24))):\(pad(rng.below(60))):\(pad(rng.below(60)))Z"
    }

    private func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    private mutating func md5Like() -> String {
        String((0..<32).map { _ in Array("0123456789abcdef")[rng.below(16)] })
    }

    private mutating func base64Like(_ n: Int) -> String {
        let alphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<n).map { _ in alphabet[rng.below(alphabet.count)] })
    }
}

/// SplitMix64: small, fast, and the same sequence on every platform for a seed.
struct SplitMixRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}
