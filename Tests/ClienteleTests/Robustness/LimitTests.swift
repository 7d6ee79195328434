import ClienteleIO
import Foundation
import Testing
import ClienteleTestSupport

/// Limits against hostile inputs, through the real binary (issue 6): `--max-record-bytes` bounds
/// memory on a gigabyte-long record, a gzip bomb is stopped, nesting is refused past 64 levels, and
/// a header of 150 000 columns is only slow, not quadratic. Memory is the tool's own peak RSS,
/// measured by GNU time (or python3) around it; the bounds are not checked under sanitizers.
@Suite(.serialized) struct LimitTests {
    let root = TestPaths.repositoryRoot

    /// Runs `clientele ARGUMENTS` (after `input |`, a shell pipeline feeding standard input, if given)
    /// and returns how it ended with its own peak RSS in KiB (`nil` when it cannot be measured here).
    func measure(_ arguments: String, input: String? = nil, in scratch: TemporaryDirectory) throws -> (ChildProcess.End, Int?) {
        let rssFile = scratch.path + "/.rss"
        let probe = Robustness.memoryProbe(rssFile) ?? ""
        let script = (input.map { $0 + " | " } ?? "") + probe + " \"$0\" " + arguments
        let end = try ChildProcess.bash(script, directory: scratch.path).wait()
        let rss = Robustness.probedRSS(rssFile)
        try? FileManager.default.removeItem(atPath: rssFile)
        return (end, rss)
    }

    /// Checks a peak RSS against a bound, unless sanitizers inflate it or it could not be measured.
    func expectMemory(_ rss: Int?, below mebibytes: Int, _ what: String) {
        print("\(what): peak RSS \(rss.map { "\($0 / 1024) MiB" } ?? "not measured")")
        guard let rss, !Robustness.sanitized else { return }
        #expect(rss < mebibytes << 10, "\(what): peak RSS \(rss / 1024) MiB, bound \(mebibytes) MiB")
    }

    /// A bash pipeline writing `prefix` then 1 GiB of `fill` bytes into `clientele import -`.
    func importGigabyteRecord(prefix: String, fill: String, options: [String] = [], in scratch: TemporaryDirectory)
        throws -> (ChildProcess.End, Int?)
    {
        try measure("import - --out out " + options.joined(separator: " "),
                    input: "{ printf '\(prefix)'; head -c 1073741824 /dev/zero | tr '\\0' '\(fill)'; }", in: scratch)
    }

    @Test("a 1 GiB field stops at --max-record-bytes (exit 65) with memory near the limit, not the field",
          arguments: [
            ("email,firstName\\n", "a", "record is larger than the limit of 1048576 bytes"),
            ("email,firstName\\nx@example.com,\\\"", "\\n", "a quoted field opened on this line is never closed"),
            ("{\\\"email\\\":\\\"", "a", "record is larger than the limit of 1048576 bytes"),
          ])
    func gigabyteFieldIsBounded(prefix: String, fill: String, message: String) throws {
        let scratch = try TemporaryDirectory()
        let (end, rss) = try importGigabyteRecord(prefix: prefix, fill: fill, in: scratch)
        #expect(end.exitCode == 65, "\(end)")
        #expect(end.stderr.contains("-:") && end.stderr.contains(message), "\(end.stderr)")
        expectMemory(rss, below: 128, "1 GiB field after \(prefix), 1 MiB limit")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out"))
    }

    @Test("with --max-record-bytes 64 MiB, a 1 GiB field still stops, within a small multiple of the limit")
    func largerLimitStillBoundsMemory() throws {
        let scratch = try TemporaryDirectory()
        let (end, rss) = try importGigabyteRecord(prefix: "email,firstName\\n", fill: "a", options: ["--max-record-bytes", "67108864"], in: scratch)
        #expect(end.exitCode == 65, "\(end)")
        #expect(end.stderr.contains("larger than the limit of 67108864 bytes"), "\(end.stderr)")
        expectMemory(rss, below: 512, "1 GiB field, 64 MiB limit")
    }

    /// 1 GiB of blank lines after a CSV header, as 1024 gzip members of 1 MiB each (≈ 1 MiB on disk).
    static func gzipBomb() throws -> [UInt8] {
        func member(_ bytes: [UInt8]) throws -> [UInt8] {
            let memory = MemoryByteSink()
            let gzip = try GzipByteSink(wrapping: memory, level: 9)
            try gzip.write(bytes)
            try gzip.close()
            return memory.bytes
        }
        let header = try member(Array("email,firstName\n".utf8))
        let blanks = try member([UInt8](repeating: 10, count: 1 << 20))
        var bomb = header
        for _ in 0..<1024 { bomb += blanks }
        return bomb
    }

    @Test("a gzip bomb (1 MiB expanding to 1 GiB) is stopped by the ratio limit: exit 65, a clear message, nothing written")
    func gzipBombIsStopped() throws {
        let scratch = try TemporaryDirectory()
        let bomb = try Self.gzipBomb()
        #expect(bomb.count < 2 << 20)
        try Data(bomb).write(to: URL(fileURLWithPath: scratch.path + "/bomb.csv"))
        let (end, rss) = try measure("import bomb.csv --out out", in: scratch)
        #expect(end.exitCode == 65, "\(end)")
        #expect(end.stderr.contains("bomb.csv: byte "), "\(end.stderr)")
        #expect(end.stderr.contains("compression ratio at most 200:1") && end.stderr.contains("gzip bomb"), "\(end.stderr)")
        expectMemory(rss, below: 128, "gzip bomb")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["bomb.csv"])
    }

    @Test("nesting up to 64 levels is read; 65 is refused with exit 65 (JSON Lines, JSON array, CSV column names)")
    func nestingIsRefusedPast64() throws {
        let scratch = try TemporaryDirectory()
        func object(depth: Int) -> String { String(repeating: "{\"a\":", count: depth - 1) + "{\"email\":\"x@example.com\"" + String(repeating: "}", count: depth) }
        func column(depth: Int) -> String { Array(repeating: "a", count: depth).joined(separator: ".") }
        let inputs: [(name: String, ok: String, deep: String)] = [
            ("lines.jsonl", object(depth: 64) + "\n", object(depth: 65) + "\n"),
            ("array.json", "[" + object(depth: 64) + "]", "[" + object(depth: 65) + "]"),
            ("columns.csv", "email,\(column(depth: 64))\nx@example.com,1\n", "email,\(column(depth: 65))\nx@example.com,1\n"),
        ]
        for (name, ok, deep) in inputs {
            try ok.write(toFile: scratch.path + "/ok-" + name, atomically: false, encoding: .utf8)
            try deep.write(toFile: scratch.path + "/deep-" + name, atomically: false, encoding: .utf8)
            let accepted = try ChildProcess.clientele(["validate", "ok-" + name], directory: scratch.path).wait()
            #expect(accepted.exitCode == 0 || accepted.exitCode == 1, "\(name) at 64 levels: \(accepted)")
            #expect(accepted.stderr.contains("read 1,"), "\(accepted.stderr)")
            let refused = try ChildProcess.clientele(["import", "deep-" + name, "--out", "out"], directory: scratch.path).wait()
            #expect(refused.exitCode == 65, "\(name) at 65 levels: \(refused)")
            #expect(refused.stderr.contains("deep-\(name):1: nesting deeper than 64 levels"), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out"))
        }
    }

    @Test("regression: a CSV column name of 300 000 dotted parts is refused (exit 65); it overflowed the stack (SIGSEGV)")
    func hugeColumnNestingIsRefused() throws {
        let scratch = try TemporaryDirectory()
        let header = "email," + Array(repeating: "a", count: 300_000).joined(separator: ".")
        try (header + "\nx@example.com,1\n").write(toFile: scratch.path + "/deep.csv", atomically: false, encoding: .utf8)
        let end = try ChildProcess.clientele(["import", "deep.csv", "--out", "out"], directory: scratch.path).wait()
        #expect(end.signal == nil, "killed by signal \(end.signal ?? 0)")
        #expect(end.exitCode == 65, "\(end)")
        #expect(end.stderr.contains("nesting deeper than 64 levels"))
    }

    @Test("regression: a header of 150 000 columns imports (it was quadratic: hours for one row)")
    func wideHeaderIsNotQuadratic() throws {
        let scratch = try TemporaryDirectory()
        let width = 150_000
        // Some columns share a parent (attributes.c1, attributes.c2 …): the nested case was quadratic too.
        let names = (0..<width).map { $0 % 2 == 0 ? "c\($0)" : "attributes.c\($0)" }
        let values = (0..<width).map { "v\($0)" }
        let text = "email," + names.joined(separator: ",") + "\nx@example.com," + values.joined(separator: ",") + "\n"
        try text.write(toFile: scratch.path + "/wide.csv", atomically: false, encoding: .utf8)
        let end = try ChildProcess.clientele(["import", "wide.csv", "--out", "out", "--max-record-bytes", "4194304"], directory: scratch.path).wait()
        #expect(end.exitCode == 0 || end.exitCode == 1, "\(end)")
        #expect(end.stderr.contains("read 1,"), "\(end.stderr)")
    }
}

extension LimitTests {
    @Test("regression: one placeholder email on 20 000 guest rows folds into one customer (folding was quadratic)")
    func oneEmailOnManyGuests() throws {
        let scratch = try TemporaryDirectory()
        let count = 20_000
        var text = "id,kind,email,firstName,groups.0,notes.0.text,addresses.0.city,addresses.0.street1\n"
        for i in 0..<count { text += "\(i),guest,noemail@shop.example,Ann,g\(i % 50),note \(i % 100),Berlin,Street \(i % 1000)\n" }
        try text.write(toFile: scratch.path + "/guests.csv", atomically: false, encoding: .utf8)
        let (end, rss) = try measure("import guests.csv --out out --quiet", in: scratch)
        #expect(end.exitCode == 0, "\(end)")
        let customers = try String(contentsOfFile: scratch.path + "/out/customers.jsonl", encoding: .utf8)
        #expect(customers.split(separator: "\n").count == 1)
        // Every guest is a source; groups, notes and addresses are unioned without duplicates.
        #expect(customers.components(separatedBy: "\"system\":").count - 1 == count)
        #expect(customers.components(separatedBy: "\"note ").count - 1 == 100)
        #expect(customers.components(separatedBy: "\"street1\":").count - 1 == 1000)
        print("20 000 guests, one email: peak RSS \(rss.map { "\($0 / 1024) MiB" } ?? "not measured")")
    }
}
