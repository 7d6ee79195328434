/// Paths tests need: the repository root, the built `clientele` binary, and the conformance
/// suites (csv-spectrum, JSONTestSuite), vendored in `Tests/Conformance` so a fresh clone has them.
public enum TestPaths {
    /// The package root, found from this file's own path (`Tests/ClienteleTestSupport/TestPaths.swift`).
    public static let repositoryRoot: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// `Tests/Conformance`: copies of the public suites, with their licences.
    public static var conformance: String { repositoryRoot + "/Tests/Conformance" }

    /// `SampleData/` of the repository.
    public static var sampleData: String { repositoryRoot + "/SampleData" }
}
