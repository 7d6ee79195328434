import Foundation
import ClienteleTestSupport

/// Inputs with one person, Zelda, whose every value is distinctive, so that an erasure can be
/// checked by searching the output files for each of them; plus other people, and generated bulk.
///
/// Zelda has a registered account (`Z-1`), a guest record that folds into it (`ZG-1`, JSON), a second
/// registration with her email that is rejected (`Z-2`, CSV: so it is in `rejects.csv` too) and a
/// guest record rejected for its date (`ZG-2`, JSON).
enum ComplianceFixtures {
    static let header = "id,kind,email,username,passwordHash,status,firstName,lastName,dateOfBirth,phone,company,taxVat,locale,groups.0,"
        + "acceptsMarketing,addresses.0.firstName,addresses.0.lastName,addresses.0.street1,addresses.0.city,addresses.0.postalCode,"
        + "addresses.0.country,addresses.0.phone,addresses.0.defaultBilling,notes.0.text,orders.count,orders.totals.0.currency,"
        + "orders.totals.0.amount,attributes.shoeSize,createdAt,updatedAt"

    static let zeldaHash = "$2y$10$ZqZqZqZqZqZqZqZqZqZqZuOCz1J3GIbV3E0mXDyHXtH5n6q8b3Nom"
    static let zellyHash = "$2y$10$YyYyYyYyYyYyYyYyYyYyYuOCz1J3GIbV3E0mXDyHXtH5n6q8b3Nom"

    static let feedCSV = [
        header,
        "Z-1,registered,Zelda.Quixotic@Example.org,zq-login,\(zeldaHash),active,Zelda,Quixotic,1977-07-07,+49 30 77777777,"
            + "Quixotic Consulting,DE777777777,de-DE,VIP,true,Zelda,Quixotic,Xylophonweg 77,Quedlinburg,06484,DE,+49 3946 777777,true,"
            + "Prefers the back door; dog named Wolkenkratzer,2,EUR,777.70,46,2020-01-01T00:00:00Z,2024-01-01T00:00:00Z",
        "O-1,registered,otto.normal@example.net,,$2y$10$abcdefghijklmnopqrstuuOCz1J3GIbV3E0mXDyHXtH5n6q8b3Nom,active,Otto,Normal,"
            + "1960-01-01,,,,de-DE,General,false,Otto,Normal,Hauptstraße 1,Berlin,10115,DE,,true,Otto's own note,3,EUR,99.00,,"
            + "2019-01-01T00:00:00Z,2023-01-01T00:00:00Z",
        "Z-2,registered, ZELDA.QUIXOTIC@example.org,,\(zellyHash),active,Zelly,Quixotic-Dupe,,,,,de-DE,,false,Zelly,Quixotic-Dupe,"
            + "Schlummerallee 5,Halberstadt,38820,DE,,true,,1,EUR,10.00,,2021-01-01T00:00:00Z,2021-01-01T00:00:00Z",
        "O-2,guest,mallory@example.net,,,,Mallory,\"=HYPERLINK(\"\"http://evil.example\"\")\",31/02/1990,+SUM(1),@cmd,-2+3,en-GB,,false,"
            + String(repeating: ",", count: 13) + "2020-02-02T00:00:00Z,",
    ].joined(separator: "\n") + "\n"

    static let guestsJSONL = [
        #"{"id":"ZG-1","kind":"guest","email":"zelda.quixotic@EXAMPLE.org","firstName":"Zelda","lastName":"Quixotic","addresses":[{"street1":"Zauberpfad 3","city":"Wernigerode","postalCode":"38855","country":"DE"}],"orders":{"count":1,"totals":[{"currency":"EUR","amount":"12.30"}]},"createdAt":"2023-05-05T00:00:00Z"}"#,
        #"{"id":"ZG-2","kind":"guest","email":"zelda.quixotic@example.org","firstName":"Zelda","dateOfBirth":"31/02/1977","addresses":[{"street1":"Irrweg 13","city":"Ilsenburg","country":"DE"}]}"#,
        #"{"id":"OG-1","kind":"guest","email":"olga@example.net","firstName":"Olga","lastName":"Other","createdAt":"2023-01-01T00:00:00Z"}"#,
    ].joined(separator: "\n") + "\n"

    static let email = "zelda.quixotic@example.org"

    /// Every value that is Zelda's, searched for case-insensitively.
    static let personalValues = [
        email, "zq-login", "Zelda", "Zelly", "Quixotic", "1977-07-07", "31/02/1977", "77777777", "+493946777777",
        "DE777777777", "Xylophonweg", "Quedlinburg", "06484", "Wolkenkratzer", "Schlummerallee", "Halberstadt", "38820",
        "Zauberpfad", "Wernigerode", "38855", "Irrweg", "Ilsenburg",
    ]
    /// Searched for with case: hashes and source ids.
    static let personalValuesWithCase = [zeldaHash, zellyHash, "ZqZqZqZqZqZq", "YyYyYyYyYyYy", "Z-1", "Z-2", "ZG-1", "ZG-2"]

    /// Writes the inputs (and 150 generated accounts) into `directory` and imports them into
    /// `directory/archive` with `extra` options; returns the archive's path.
    @discardableResult
    static func importArchive(in directory: String, name: String = "archive", extra: [String] = []) throws -> String {
        try feedCSV.write(toFile: directory + "/feed.csv", atomically: false, encoding: .utf8)
        try guestsJSONL.write(toFile: directory + "/guests.jsonl", atomically: false, encoding: .utf8)
        if !FileManager.default.fileExists(atPath: directory + "/gen.csv") {
            let gen = try CLIRunner.run(["generate", "--count", "150", "--format", "csv", "--seed", "3", "--out", "gen.csv"], in: directory)
            precondition(gen.status == 0, gen.stderr)
        }
        let run = try CLIRunner.run(["import", "feed.csv", "guests.jsonl", "gen.csv", "--out", name, "--quiet"] + extra, in: directory)
        precondition(run.status == 1, "import: \(run.status) \(run.stderr)")
        return directory + "/" + name
    }

    /// The files of a directory, sorted (not recursive: archives are flat).
    static func files(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    /// A file's bytes, gunzipped when its name ends in `.gz`.
    static func text(_ path: String) throws -> String {
        if path.hasSuffix(".gz") {
            let run = try CLIRunner.run(["gzip", "-dc", path], executable: "/usr/bin/env")
            return run.stdout
        }
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    /// The permission bits of a file.
    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// Parses a JSON text into Foundation values.
    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    /// The lines of a JSON Lines text, parsed.
    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try json(String($0)) as! [String: Any] }
    }

    /// The `ref` of the customer a source id became, from an archive's crosswalk.
    static func ref(of sourceID: String, in archive: String) throws -> String? {
        for line in try text(archive + "/crosswalk.csv").split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            if cells.count == 6, cells[1] == sourceID { return String(cells[4]) }
        }
        return nil
    }
}
