import ClienteleModel
import Testing

@Suite struct CountryCodeTests {
    @Test(arguments: [
        ("DE", "DE"), ("de", "DE"), ("De", "DE"), (" gb ", "GB"),
        ("DEU", "DE"), ("deu", "DE"), ("GBR", "GB"), ("USA", "US"), ("che", "CH"),
        ("Germany", "DE"), ("GERMANY", "DE"), ("united kingdom", "GB"), ("Italy", "IT"),
        ("Åland Islands", "AX"), ("åland islands", "AX"), ("Côte d'Ivoire", "CI"),
        ("UK", "GB"), ("uk", "GB"), ("Great Britain", "GB"), ("Holland", "NL"), ("Deutschland", "DE"),
        ("Österreich", "AT"), ("U.S.A.", "US"), ("South Korea", "KR"),
    ])
    func normalizes(raw: String, expected: String) {
        #expect(CountryCode.normalize(raw) == expected)
    }

    @Test(arguments: ["", "XX", "XXX", "Germania", "D", "EU", "UN", "Atlantis", "DE DE", "1"])
    func unknownIsNil(raw: String) {
        #expect(CountryCode.normalize(raw) == nil)
    }

    @Test func isAlpha2IsExact() {
        #expect(CountryCode.isAlpha2("DE"))
        #expect(!CountryCode.isAlpha2("de"))
        #expect(!CountryCode.isAlpha2("DEU"))
        #expect(!CountryCode.isAlpha2("XX"))
    }
}

@Suite struct LocaleTagTests {
    @Test(arguments: [
        ("de-DE", "de-DE"), ("de_DE", "de-DE"), ("DE_de", "de-DE"), ("en-us", "en-US"), (" fr-CA ", "fr-CA"),
        ("de", "de"), ("EN", "en"), ("fil", "fil"), ("fil-PH", "fil-PH"),
        ("zh-hant-tw", "zh-Hant-TW"), ("ZH_HANT_TW", "zh-Hant-TW"), ("sr-Latn", "sr-Latn"),
        ("es-419", "es-419"), ("es_419", "es-419"),
        ("en-US-POSIX", "en-US-posix"), ("de-DE-1996", "de-DE-1996"), ("ca-ES-valencia", "ca-ES-valencia"),
    ])
    func normalizes(raw: String, expected: String) {
        #expect(LocaleTag.normalize(raw) == expected)
    }

    @Test(arguments: [
        "", "-", "e", "english", "de-XX", "en-ZZ", "de--DE", "de-DE-", "-DE", "de DE", "de-DE.UTF-8",
        "12", "ä-DE", "de-verylongvariant", "de-DE-@euro",
    ])
    func rejects(raw: String) {
        #expect(LocaleTag.normalize(raw) == nil)
    }

    @Test func isIdempotent() {
        for raw in ["de_DE", "zh-hant-tw", "es-419", "en-US-POSIX", "sr-latn-rs"] {
            let once = LocaleTag.normalize(raw)
            #expect(once != nil)
            #expect(once.flatMap(LocaleTag.normalize) == once)
        }
    }
}
