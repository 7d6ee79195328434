import ClienteleModel
import ClienteleTestSupport
import Testing

@Suite struct DecimalAmountTests {
    @Test(arguments: [
        ("0", "0"), ("12", "12"), ("12.30", "12.30"), (" 12.30 ", "12.30"),
        ("007.50", "7.50"), ("000", "0"), ("0.05", "0.05"), ("00.05", "0.05"),
        ("+1.5", "1.5"), ("-1.5", "-1.5"), ("-0", "0"), ("-0.00", "0.00"), ("+0", "0"), ("-007", "-7"),
        ("123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"),
    ])
    func parsesAndNormalizes(raw: String, expected: String) {
        let a = DecimalAmount(raw)
        #expect(a?.description == expected)
        // Normalizing is idempotent.
        #expect(a.flatMap { DecimalAmount($0.description) } == a)
    }

    @Test(arguments: ["", " ", "-", "+", ".5", "5.", "1.2.3", "1e3", "1,50", "12 30", "--1", "+-1", "0x10", "NaN", "١٢", "½"])
    func rejects(raw: String) {
        #expect(DecimalAmount(raw) == nil)
    }

    @Test func negativeZeroIsNotNegative() {
        #expect(DecimalAmount("-0.00")?.isNegative == false)
        #expect(DecimalAmount("-0.01")?.isNegative == true)
        #expect(DecimalAmount("-0.00") == DecimalAmount("0.00"))
    }

    @Test(arguments: [
        ("100.50", "0.7", "101.20"),
        ("1", "0.001", "1.001"),
        ("0.5", "0.50", "1.00"),
        ("999.99", "0.01", "1000.00"),
        ("9.999", "0.001", "10.000"),
        ("99999999999999999999", "1", "100000000000000000000"),
        ("-1.5", "-2.75", "-4.25"),
        ("-999.99", "-0.01", "-1000.00"),
        ("5", "-3", "2"),
        ("3", "-5", "-2"),
        ("-5", "3", "-2"),
        ("-3", "5", "2"),
        ("5", "-5", "0"),
        ("-0.01", "0.01", "0.00"),
        ("1000.00", "-0.01", "999.99"),
        ("0.01", "-1000", "-999.99"),
        ("-100", "100.001", "0.001"),
        ("0", "0", "0"),
    ])
    func sums(a: String, b: String, expected: String) {
        let x = DecimalAmount(a)!, y = DecimalAmount(b)!
        #expect((x + y).description == expected)
        #expect((y + x).description == expected)
    }

    /// Sums of random amounts at scales 0–3 against the same sums in integer thousandths.
    @Test func sumsAgreeWithIntegerArithmetic() {
        var rng = SplitMix64(seed: 0x5EED_CAFE)
        for _ in 0..<5_000 {
            let (a, aText, aScale) = Self.randomAmount(&rng)
            let (b, bText, bScale) = Self.randomAmount(&rng)
            let sum = DecimalAmount(aText)! + DecimalAmount(bText)!
            let expected = Self.format(thousandths: a + b, scale: max(aScale, bScale))
            #expect(sum.description == expected, "\(aText) + \(bText)")
            if sum.description != expected { return }
        }
    }

    /// A random amount as (value in thousandths, its text, its scale); magnitudes vary widely so
    /// carries, borrows and sign changes all happen.
    static func randomAmount(_ rng: inout SplitMix64) -> (Int, String, Int) {
        let scale = Int.random(in: 0...3, using: &rng)
        let magnitude = [9, 999, 99_999, 999_999_999_999].randomElement(using: &rng)!
        let units = Int.random(in: -magnitude...magnitude, using: &rng)  // in 10^-scale
        var step = 1
        for _ in 0..<(3 - scale) { step *= 10 }
        var text = format(thousandths: units * step, scale: scale)
        // Sometimes write it with a plus sign or leading zeros: the value must not change.
        switch Int.random(in: 0..<4, using: &rng) {
        case 0 where !text.hasPrefix("-"): text = "+" + text
        case 1 where !text.hasPrefix("-"): text = "00" + text
        default: break
        }
        return (units * step, text, scale)
    }

    /// `thousandths` written with `scale` fraction digits (exact: the dropped digits are zero).
    static func format(thousandths: Int, scale: Int) -> String {
        let negative = thousandths < 0
        let m = thousandths.magnitude
        var whole = String(m / 1000)
        var frac = String(m % 1000)
        frac = String(repeating: "0", count: 3 - frac.count) + frac
        frac = String(frac.prefix(scale))
        if scale > 0 { whole += "." + frac }
        return (negative && m != 0 ? "-" : "") + whole
    }
}
