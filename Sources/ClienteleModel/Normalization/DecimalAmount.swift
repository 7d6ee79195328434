/// An exact decimal amount, kept as its digits: money is never floating point (SPEC §2).
///
/// ```swift
/// let a = DecimalAmount("100.50")!, b = DecimalAmount("0.7")!
/// (a + b).description        // "101.20"
/// DecimalAmount("1e3")       // nil: exponents are not amounts
/// ```
public struct DecimalAmount: Equatable, Sendable, CustomStringConvertible {
    /// Whether the amount is below zero.
    public private(set) var isNegative: Bool
    /// The digits without the decimal point, no leading zeros (at least one digit).
    public private(set) var digits: [UInt8]
    /// How many of `digits` are after the decimal point.
    public private(set) var scale: Int

    /// Parses `-?digits(.digits)?`, ignoring surrounding white space and a leading `+`.
    public init?(_ text: String) {
        var bytes = Array(text.trimmed.utf8)
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        guard !bytes.isEmpty else { return nil }
        var intPart: [UInt8] = []
        var fracPart: [UInt8] = []
        var seenPoint = false
        for b in bytes {
            if b == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
            } else if b >= 48 && b <= 57 {
                if seenPoint { fracPart.append(b - 48) } else { intPart.append(b - 48) }
            } else {
                return nil
            }
        }
        if intPart.isEmpty || (seenPoint && fracPart.isEmpty) { return nil }
        self.init(negative: negative, digits: intPart + fracPart, scale: fracPart.count)
    }

    private init(negative: Bool, digits: [UInt8], scale: Int) {
        var digits = digits
        while digits.count > scale + 1, digits.first == 0 { digits.removeFirst() }
        isNegative = negative && digits.contains(where: { $0 != 0 })
        self.digits = digits
        self.scale = scale
    }

    public var description: String {
        // Bytes first, one String at the end: a Character appended per digit was measurable in an import.
        var text: [UInt8] = []
        text.reserveCapacity(digits.count + 2)
        if isNegative { text.append(UInt8(ascii: "-")) }
        let intCount = digits.count - scale
        for (i, d) in digits.enumerated() {
            if i == intCount { text.append(UInt8(ascii: ".")) }
            text.append(d + 48)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The exact sum, at the larger of the two scales.
    public static func + (a: DecimalAmount, b: DecimalAmount) -> DecimalAmount {
        let scale = max(a.scale, b.scale)
        let x = a.digits + [UInt8](repeating: 0, count: scale - a.scale)
        let y = b.digits + [UInt8](repeating: 0, count: scale - b.scale)
        if a.isNegative == b.isNegative {
            return DecimalAmount(negative: a.isNegative, digits: add(x, y), scale: scale)
        }
        // Different signs: subtract the smaller magnitude from the larger.
        if compare(x, y) >= 0 {
            return DecimalAmount(negative: a.isNegative, digits: subtract(x, y), scale: scale)
        }
        return DecimalAmount(negative: b.isNegative, digits: subtract(y, x), scale: scale)
    }

    private static func add(_ x: [UInt8], _ y: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var carry: UInt8 = 0
        var i = x.count - 1, j = y.count - 1
        while i >= 0 || j >= 0 || carry > 0 {
            let s = (i >= 0 ? x[i] : 0) + (j >= 0 ? y[j] : 0) + carry
            result.append(s % 10)
            carry = s / 10
            i -= 1; j -= 1
        }
        return result.reversed()
    }

    private static func subtract(_ x: [UInt8], _ y: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var borrow = 0
        var i = x.count - 1, j = y.count - 1
        while i >= 0 {
            var d = Int(x[i]) - borrow - (j >= 0 ? Int(y[j]) : 0)
            borrow = d < 0 ? 1 : 0
            if d < 0 { d += 10 }
            result.append(UInt8(d))
            i -= 1; j -= 1
        }
        return result.reversed()
    }

    private static func compare(_ x: [UInt8], _ y: [UInt8]) -> Int {
        let a = Array(x.drop(while: { $0 == 0 })), b = Array(y.drop(while: { $0 == 0 }))
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for (p, q) in zip(a, b) where p != q { return p < q ? -1 : 1 }
        return 0
    }
}
