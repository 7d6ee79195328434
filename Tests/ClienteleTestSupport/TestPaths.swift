/// Paths tests need: the repository root, the built `clientele` binary, and the shared
/// conformance suites that sit beside the clone (`../shared/conformance`).
public enum TestPaths {
    /// The package root, found from this file's own path (`Tests/ClienteleTestSupport/TestPaths.swift`).
    public static let repositoryRoot: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// `../shared/conformance` beside the clone.
    public static var conformance: String { repositoryRoot + "/../shared/conformance" }

    /// `SampleData/` of the repository.
    public static var sampleData: String { repositoryRoot + "/SampleData" }
}
