import ClienteleModel
import Testing

@Suite struct PasswordHashTests {
    static let sha256Hex = String(repeating: "9a1f", count: 16)
    static let md5Hex = "5f4dcc3b5aa765d61d8327deb882cf99"
    static let sha1Hex = "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"

    static let cases: [(String, PasswordHashAlgorithm)] = [
        ("$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", PasswordHashAlgorithm.bcrypt),
        ("$2b$12$KIXQJ1gWbMZkGQ0Qn0kB3eJq5y3iY1ZfKpZl0zD0O3w7n8Z9Zl1yW", .bcrypt),
        ("$2y$10$abcdefghijklmnopqrstuuOCz1J3GIbV3E0mXDyHXtH5n6q8b3Nom", .bcrypt),
        ("$2y$10$tooShort", .unknown),
        ("$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", .argon2),
        ("$argon2i$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA", .argon2),
        ("$argon2d$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA", .argon2),
        ("$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA", .scrypt),
        ("$7$C6..../....SodiumChloride$kBGj9fHznVYFQMEn/qDCfrDevf9YDtcDdKvEqHJLV8D", .scrypt),
        ("pbkdf2_sha256$260000$Qx1x8ZpQ$k4dGr2Zx1uFv5Xq0Jm4R3oT8y9w2e6a7b1c5d3f0g9h=", .pbkdf2),
        ("$pbkdf2-sha256$29000$N2bMWSvlvJcSYgwBgBDCWA$ZpGgW7bmfY7rnTf2PJ8ni0gmNyb3LEjFWjWWb02TWfg", .pbkdf2),
        ("pbkdf2:sha256:600000$salt$abcdef", .pbkdf2),
        (sha256Hex + ":Xy12salt:1", .magento2Sha256),
        (sha256Hex.uppercased() + ":Xy12salt:1", .magento2Sha256),
        (md5Hex + ":Xy:0", .md5),
        (sha256Hex + ":saltsaltsaltsaltsaltsaltsaltsalt:2", .argon2),
        (sha256Hex + ":saltsaltsaltsaltsaltsaltsaltsalt:3", .argon2),
        (md5Hex + ":Xy:1", .unknown),           // version 1 needs 64 hex digits
        (sha256Hex + ":Xy:9", .unknown),
        ("nothex:salt:1", .unknown),
        (md5Hex, .md5),
        (md5Hex.uppercased(), .md5),
        (sha1Hex, .sha1),
        (sha256Hex, .unknown),                 // bare SHA-256: no salt, nothing recognizes it
        ("password123", .unknown),
        ("", .unknown),
        ("{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", .unknown),
        (String(md5Hex.dropLast()) + "g", .unknown),
    ]

    @Test(arguments: cases)
    func recognize(hash: String, expected: PasswordHashAlgorithm) {
        #expect(PasswordHashAlgorithm.recognize(hash) == expected)
        #expect(PasswordHash(recognizing: hash) == PasswordHash(algorithm: expected, value: hash))
    }

    @Test(arguments: PasswordHashAlgorithm.allCases)
    func usability(algorithm: PasswordHashAlgorithm) {
        let usable: Set<PasswordHashAlgorithm> = [.bcrypt, .argon2, .scrypt, .pbkdf2, .magento2Sha256]
        #expect(algorithm.isUsable == usable.contains(algorithm))
    }

    @Test func rawValuesAreTheCanonicalNames() {
        #expect(PasswordHashAlgorithm.allCases.map(\.rawValue)
            == ["bcrypt", "argon2", "scrypt", "pbkdf2", "magento2-sha256", "md5", "sha1", "unknown"])
    }
}
