import Foundation
import Logging
import Testing
import ClienteleTestSupport
@testable import Clientele

/// The lock beside an output, and the log handler's redaction.
@Suite struct OperationsTests {
    @Test func theLockFileSitsBesideThePathHidden() {
        #expect(OutputLock.lockFile(for: "/srv/archive") == "/srv/.archive.lock")
        #expect(OutputLock.lockFile(for: "/srv/archive/") == "/srv/.archive.lock")
        #expect(OutputLock.lockFile(for: "archive") == ".archive.lock")
        #expect(OutputLock.lockFile(for: "out/delta.jsonl") == "out/.delta.jsonl.lock")
    }

    @Test func aSecondWriterIsRefusedAndTheLastHolderRemovesTheFile() throws {
        let scratch = try TemporaryDirectory()
        let out = scratch.path + "/archive"
        let first = try OutputLock(path: out, mode: .exclusive)
        #expect(FileManager.default.fileExists(atPath: first.lockFile))
        #expect(throws: ClienteleError.self) { try OutputLock(path: out, mode: .exclusive) }
        do {
            _ = try OutputLock(path: out, mode: .exclusive)
        } catch {
            #expect(error.exitCode == 75)
            #expect(error.description.contains("try again later"))
        }
        #expect(throws: ClienteleError.self) { try OutputLock(path: out, mode: .shared) }
        first.release()
        #expect(!FileManager.default.fileExists(atPath: first.lockFile))
        let again = try OutputLock(path: out, mode: .exclusive)
        again.release()
    }

    @Test func readersShareAndKeepWritersOutUntilTheLastLeaves() throws {
        let scratch = try TemporaryDirectory()
        let archive = scratch.path + "/archive"
        let a = try OutputLock(path: archive, mode: .shared)
        let b = try OutputLock(path: archive, mode: .shared)
        #expect(throws: ClienteleError.self) { try OutputLock(path: archive, mode: .exclusive) }
        a.release()
        #expect(FileManager.default.fileExists(atPath: b.lockFile), "a reader leaving must not remove the file another holds")
        #expect(throws: ClienteleError.self) { try OutputLock(path: archive, mode: .exclusive) }
        b.release()
        #expect(!FileManager.default.fileExists(atPath: b.lockFile))
        try OutputLock(path: archive, mode: .exclusive).release()
    }

    @Test func aLockFileThatCannotBeMadeIsAnOutputThatCannotBeMade() throws {
        do {
            _ = try OutputLock(path: "/nonexistent-dir-\(UUID().uuidString)/archive", mode: .exclusive)
            Issue.record("expected a failure")
        } catch {
            #expect(error.exitCode == 73)
        }
        #expect(try OutputLock.forReading("/nonexistent-dir-\(UUID().uuidString)/archive") == nil)
    }

    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func append(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
    }

    @Test func sensitiveMetadataIsRedactedAndLevelsFilter() {
        let lines = Lines()
        var logger = Logger(label: "clientele") { StandardErrorLogHandler(label: $0, level: .info, output: { lines.append($0) }) }
        logger[metadataKey: "run"] = "nightly"
        logger.debug("not shown")
        logger.info("record seen", metadata: ["passwordHash": "$2y$10$secret", "note": "call me", "line": "7", "text": "hello there"])
        #expect(lines.all.count == 1)
        let line = lines.all[0]
        #expect(line.contains(" info clientele: record seen "))
        #expect(line.contains("line=7") && line.contains("run=nightly"))
        #expect(!line.contains("secret") && !line.contains("call me") && !line.contains("hello"))
        #expect(line.contains("passwordHash=<redacted>"))
        #expect(line.hasSuffix("\n"))
    }
}
