/// A password hash as imported, with the algorithm recognized from its form.
public struct PasswordHash: Equatable, Sendable {
    public var algorithm: PasswordHashAlgorithm
    public var value: String

    public init(algorithm: PasswordHashAlgorithm, value: String) {
        self.algorithm = algorithm
        self.value = value
    }

    /// Recognizes the algorithm of `value` from its form (see ``PasswordHashAlgorithm/recognize(_:)``).
    public init(recognizing value: String) {
        self.init(algorithm: .recognize(value), value: value)
    }
}

/// The password-hash algorithms Clientele recognizes (SPEC §2).
public enum PasswordHashAlgorithm: String, Sendable, CaseIterable {
    case bcrypt
    case argon2
    case scrypt
    case pbkdf2
    /// Magento 2's `hash:salt:version` with version 1 (salted SHA-256).
    case magento2Sha256 = "magento2-sha256"
    case md5
    case sha1
    case unknown

    /// Whether a shop can keep verifying logins with it: weak and unknown algorithms make the
    /// customer reset the password.
    public var isUsable: Bool {
        switch self {
        case .bcrypt, .argon2, .scrypt, .pbkdf2, .magento2Sha256: return true
        case .md5, .sha1, .unknown: return false
        }
    }

    /// Recognizes an algorithm from the form of a stored hash.
    ///
    /// ```swift
    /// PasswordHashAlgorithm.recognize("$2y$10$abcdefghijklmnopqrstuuOCz1J3GIbV3E0mXDyHXtH5n6q8b3Nom") // .bcrypt
    /// PasswordHashAlgorithm.recognize("5f4dcc3b5aa765d61d8327deb882cf99")                   // .md5
    /// PasswordHashAlgorithm.recognize("9a1f…(64 hex):Xy12salt:1")                            // .magento2Sha256
    /// ```
    public static func recognize(_ hash: String) -> PasswordHashAlgorithm {
        let h = hash
        if h.hasPrefix("$2a$") || h.hasPrefix("$2b$") || h.hasPrefix("$2y$") || h.hasPrefix("$2x$") || h.hasPrefix("$2$") {
            return h.utf8.count >= 59 ? .bcrypt : .unknown
        }
        if h.hasPrefix("$argon2id$") || h.hasPrefix("$argon2i$") || h.hasPrefix("$argon2d$") { return .argon2 }
        if h.hasPrefix("$scrypt$") || h.hasPrefix("$7$") { return .scrypt }
        if h.hasPrefix("$pbkdf2") || h.hasPrefix("pbkdf2_") || h.hasPrefix("pbkdf2:") { return .pbkdf2 }
        // Magento 2: hash:salt:version, where version 0 is MD5, 1 SHA-256, 2/3 Argon2ID13.
        let parts = h.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 3, isHex(parts[0]) {
            switch (parts[2], parts[0].utf8.count) {
            case ("1", 64): return .magento2Sha256
            case ("0", 32): return .md5
            case ("2", _), ("3", _): return .argon2
            default: return .unknown
            }
        }
        if parts.count == 1, isHex(parts[0]) {
            switch parts[0].utf8.count {
            case 32: return .md5
            case 40: return .sha1
            default: return .unknown
            }
        }
        return .unknown
    }

    private static func isHex(_ s: Substring) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }
    }
}
