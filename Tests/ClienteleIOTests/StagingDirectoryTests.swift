import ClienteleTestSupport
import Foundation
import Testing

@testable import ClienteleIO

@Suite("StagingDirectory and FileSystem")
struct StagingDirectoryTests {
    func contents(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    func writeFile(_ path: String, _ text: String) throws {
        let sink = try FileByteSink(path: path)
        try sink.write(text)
        try sink.close()
    }

    func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    @Test("stages a hidden 0700 directory beside the final path, and commits it to a new path")
    func commitNew() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let final = directory.file("archive")
        let staging = try StagingDirectory(finalPath: final)
        #expect(staging.finalPath == final)
        #expect(staging.path.hasPrefix(directory.path + "/.archive.partial-\(getpid())-"))
        #expect(permissions(of: staging.path) == 0o700)
        #expect(!FileSystem.exists(final))  // nothing at the final path before commit
        try writeFile(staging.path + "/customers.jsonl", "{}\n")
        try staging.commit()
        #expect(FileSystem.isDirectory(final))
        #expect(read(final + "/customers.jsonl") == "{}\n")
        #expect(contents(directory.path) == ["archive"])
        try staging.commit()  // a second commit does nothing
        #expect(contents(final) == ["customers.jsonl"])
    }

    @Test("commit replaces an existing archive: old content gone, new present", arguments: [true, false])
    func commitReplaces(exchange: Bool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let final = directory.file("archive")
        try FileSystem.makeDirectory(final, mode: 0o700)
        try FileSystem.makeDirectory(final + "/nested", mode: 0o700)
        try writeFile(final + "/old.jsonl", "old")
        try writeFile(final + "/customers.jsonl", "old customers")
        try writeFile(final + "/nested/deep.txt", "deep")

        let staging = try StagingDirectory(finalPath: final + "/")  // a trailing slash is fine
        staging.usesExchange = exchange
        try writeFile(staging.path + "/customers.jsonl", "new customers")
        try staging.commit()
        #expect(contents(final) == ["customers.jsonl"])
        #expect(read(final + "/customers.jsonl") == "new customers")
        #expect(contents(directory.path) == ["archive"])  // neither the old one nor a staging dir left
    }

    @Test("discard removes the staged directory and everything in it; commit then fails")
    func discard() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let final = directory.file("archive")
        let staging = try StagingDirectory(finalPath: final)
        try FileSystem.makeDirectory(staging.path + "/sub", mode: 0o755)
        try writeFile(staging.path + "/sub/file", "x")
        staging.discard()
        staging.discard()
        #expect(contents(directory.path) == [])
        #expect(throws: IOError.cannotCreate(path: final, errno: ENOENT)) { try staging.commit() }
        #expect(!FileSystem.exists(final))
    }

    @Test("an uncommitted staging directory is removed when it is released")
    func deinitCleans() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var staged: String?
        do {
            let staging = try StagingDirectory(finalPath: directory.file("archive"))
            try writeFile(staging.path + "/customers.jsonl", "{}")
            staged = staging.path
            #expect(FileSystem.isDirectory(staging.path))
        }
        #expect(staged != nil)
        #expect(contents(directory.path) == [])
    }

    @Test("a committed directory survives its StagingDirectory")
    func commitSurvivesDeinit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let staging = try StagingDirectory(finalPath: directory.file("archive"))
            try staging.commit()
        }
        #expect(contents(directory.path) == ["archive"])
    }

    @Test("a final path that is a regular file → cannotCreate(ENOTDIR), at init and at commit")
    func finalIsFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let final = try directory.write(Array("keep me".utf8), to: "archive")
        #expect(throws: IOError.cannotCreate(path: final, errno: ENOTDIR)) {
            _ = try StagingDirectory(finalPath: final)
        }
        // A file that appears while staging.
        let other = directory.file("later")
        let staging = try StagingDirectory(finalPath: other)
        try writeFile(other, "appeared")
        #expect(throws: IOError.cannotCreate(path: other, errno: ENOTDIR)) { try staging.commit() }
        #expect(read(other) == "appeared")
        #expect(read(final) == "keep me")
    }

    @Test("a missing parent → cannotCreate naming the final path")
    func missingParent() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let final = directory.file("no/such/archive")
        #expect(throws: IOError.cannotCreate(path: final, errno: ENOENT)) {
            _ = try StagingDirectory(finalPath: final)
        }
    }

    @Test("a relative final path stages in the current directory's terms")
    func relativePath() throws {
        let staging = try StagingDirectory(finalPath: "clientele-io-test-\(getpid())-relative")
        #expect(staging.path.hasPrefix("./.clientele-io-test-"))
        staging.discard()
        #expect(!FileSystem.exists(staging.path))
    }

    @Test("removeRecursively never follows a symbolic link out of the tree")
    func removeKeepsLinkTargets() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let outside = directory.file("outside")
        try FileSystem.makeDirectory(outside, mode: 0o700)
        try writeFile(outside + "/precious", "keep")
        let tree = directory.file("tree")
        try FileSystem.makeDirectory(tree, mode: 0o700)
        try FileSystem.makeDirectory(tree + "/a", mode: 0o700)
        try writeFile(tree + "/a/file", "x")
        #expect(symlink(outside, tree + "/a/link") == 0)
        #expect(symlink(tree + "/missing", tree + "/dangling") == 0)
        #expect(FileSystem.exists(tree + "/dangling"))
        #expect(!FileSystem.isDirectory(tree + "/dangling"))
        #expect(FileSystem.isDirectory(tree + "/a/link"))
        FileSystem.removeRecursively(tree)
        #expect(!FileSystem.exists(tree))
        #expect(read(outside + "/precious") == "keep")
        FileSystem.removeRecursively(tree)  // missing: nothing happens
        #expect(throws: IOError.cannotCreate(path: outside, errno: EEXIST)) {
            try FileSystem.makeDirectory(outside, mode: 0o700)
        }
    }
}
