import ClienteleTestSupport
import Foundation
import Testing

@testable import ClienteleIO

@Suite("FileByteSink")
struct FileByteSinkTests {
    @Test("creates the file with mode 0600 and writes mixed small and large pieces in order")
    func writesInOrder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("customers.jsonl")
        let sink = try FileByteSink(path: path)
        #expect(permissions(of: path) == 0o600)
        var expected: [UInt8] = []
        for (index, size) in [10, 300_000, 1, 262_144, 262_143, 5, 1_000_000].enumerated() {
            let piece = randomBytes(size, seed: UInt64(index))
            try sink.write(piece)
            expected += piece
        }
        try sink.write("tail\n")
        expected += Array("tail\n".utf8)
        #expect(sink.bytesWritten == Int64(expected.count))
        try sink.sync()
        try sink.close()
        try sink.close()  // idempotent
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == expected)
        #expect(throws: IOError.writeFailed(path: path, errno: EBADF)) { try sink.write("late") }
    }

    @Test("truncates an existing file and takes away permissions beyond 0600")
    func truncatesExisting() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(Array("old content that is longer".utf8), to: "out.csv")
        chmod(path, 0o644)
        let sink = try FileByteSink(path: path)
        try sink.write("new")
        try sink.close()
        #expect(permissions(of: path) == 0o600)
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) == "new")
    }

    @Test("another mode is honoured")
    func otherMode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("public.txt")
        let sink = try FileByteSink(path: path, mode: 0o640)
        try sink.close()
        #expect(permissions(of: path) == 0o640 & ~currentUmask())
    }

    @Test("a missing directory → cannotCreate with ENOENT")
    func missingDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("missing/out.jsonl")
        #expect(throws: IOError.cannotCreate(path: path, errno: ENOENT)) { _ = try FileByteSink(path: path) }
    }

    @Test("a full disk → writeFailed with ENOSPC")
    func fullDisk() throws {
        let sink = try FileByteSink(path: "/dev/full")
        try sink.write("buffered")  // not written yet
        #expect(throws: IOError.writeFailed(path: "/dev/full", errno: ENOSPC)) { try sink.close() }
        let large = try FileByteSink(path: "/dev/full")
        #expect(throws: IOError.writeFailed(path: "/dev/full", errno: ENOSPC)) {
            try large.write(randomBytes(600_000, seed: 1))
        }
    }

    @Test("a reader that went away → writeFailed(\"-\", EPIPE), not SIGPIPE")
    func brokenPipe() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        close(ends[0])
        defer { close(ends[1]) }
        let sink = FileByteSink(descriptor: ends[1], name: "-", ownsDescriptor: false, ignoresSIGPIPE: true)
        #expect(throws: IOError.writeFailed(path: "-", errno: EPIPE)) {
            try sink.write(randomBytes(300_000, seed: 2))
        }
    }

    @Test("standard output is named - and not closed")
    func standardOutput() throws {
        let sink = try FileByteSink(path: "-")
        #expect(sink.name == "-")
        try sink.close()
        #expect(fcntl(STDOUT_FILENO, F_GETFD) != -1)
    }

    func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }
}
