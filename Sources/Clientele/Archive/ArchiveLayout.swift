/// The file names of an archive directory (SPEC §4).
public enum ArchiveLayout {
    public static func customersFile(format: ImportOptions.OutputFormat, gzip: Bool) -> String {
        "customers." + format.rawValue + (gzip ? ".gz" : "")
    }

    public static let rejectsJSONL = "rejects.jsonl"
    public static let rejectsCSV = "rejects.csv"
    public static let crosswalk = "crosswalk.csv"
    public static let report = "report.json"
    /// Spill files live here while the archive is staged; removed before it is moved into place.
    static let work = ".work"
}
