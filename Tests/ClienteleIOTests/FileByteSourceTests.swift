import ClienteleTestSupport
import Foundation
import Testing

@testable import ClienteleIO

@Suite("FileByteSource")
struct FileByteSourceTests {
    @Test("a missing file → cannotOpen with ENOENT")
    func missing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("nope.csv")
        #expect(throws: IOError.cannotOpen(path: path, errno: ENOENT)) { _ = try FileByteSource(path: path) }
        #expect(throws: IOError.cannotOpen(path: path, errno: ENOENT)) { _ = try OpenedInput.open(path: path) }
    }

    @Test("a directory → cannotOpen with EISDIR")
    func directory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: IOError.cannotOpen(path: directory.path, errno: EISDIR)) {
            _ = try FileByteSource(path: directory.path)
        }
    }

    @Test("reads the whole file, counting bytes, and knows its size")
    func readsWhole() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = randomBytes(1_000_003, seed: 5)
        let path = try directory.write(bytes, to: "data.bin")
        let source = try FileByteSource(path: path)
        #expect(source.name == path)
        #expect(source.fileSize == 1_000_003)
        #expect(source.bytesRead == 0)
        #expect(try readAll(source, bufferSize: 65_536) == bytes)
        #expect(source.bytesRead == 1_000_003)
        source.close()
        #expect(try readAll(source) == [])
    }

    @Test("a character device has no file size")
    func device() throws {
        let source = try FileByteSource(path: "/dev/null")
        #expect(source.fileSize == nil)
        #expect(try readAll(source) == [])
    }

    @Test("standard input is named -")
    func standardInput() throws {
        let source = try FileByteSource(path: "-")
        #expect(source.name == "-")
    }
}
