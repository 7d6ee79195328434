import ClienteleIO

#if canImport(Glibc)
import Glibc
#endif

// Invariants:
// - `buffer[0..<filled]` holds document bytes from `bufferStart`; `[0..<fed]` went to the parser,
//   `[0..<checked]` passed the UTF-8 check (fed ≤ checked ≤ filled). Compaction keeps the last
//   `retained` fed bytes so a resynchronization can search back to where the parser failed.
// - `lineAtBufferStart` is the 1-based line of `buffer[0]`: newlines are counted as bytes leave.
// - Records come out in document order; an error is thrown only after every record before it.
// - A converted document (`converted`) goes to libxml2 in blocks ending at multiples of
//   `conversionBlock`, never in pieces decided by the source or `chunkSize`.

/// Streams the records of an XML document (SPEC §5) through libxml2's SAX2 push parser, never
/// holding more than one record and a fixed input window.
///
/// The document is a root element (``XMLRecordLayout/rootName``) of record elements; each record
/// comes back as a JSON-shaped tree (``XMLRecordLayout``), with its line, byte offset and number.
/// Entities and CDATA are decoded; comments and processing instructions are skipped.
///
/// Problems confined to one record come back as the record's ``XMLRecord/defect`` and reading goes
/// on: a record that is not well-formed (the reader restarts the parser at the next `<customer`
/// start tag or at the root's end tag), one that does not have the layout's shape (text beside
/// elements, a wrong list item), one larger than `maxRecordBytes` (skipped), one that fails the
/// schema. Problems that leave no next record to go on from throw
/// ``FormatError/malformed(file:line:byteOffset:detail:)``: invalid UTF-8 (never repaired), a
/// truncated document, broken markup outside records, a document that declares entities (XXE,
/// entity-expansion bombs: refused at the first declaration, so nothing is expanded or fetched);
/// nesting deeper than `maxDepth` throws ``FormatError/tooDeep(file:line:limit:)``.
///
/// ```swift
/// let reader = try XMLRecordReader(source: try FileByteSource(path: "customers.xml"), layout: .customers)
/// while let record = try reader.next() {
///     if let defect = record.defect { reject(record.position, defect) } else { accept(record.value) }
/// }
/// ```
public final class XMLRecordReader {
    /// Limits and checks for one reader.
    public struct Options {
        /// The largest record kept, in bytes of its names and text; a larger one is skipped as defective.
        public var maxRecordBytes: Int
        /// The deepest element nesting inside one record (the record element is level 1).
        public var maxDepth: Int
        /// Validate the document against this schema as it streams: a record that fails it is
        /// defective; a failure outside records (the root) throws.
        public var schema: XMLSchema?
        /// Bytes handed to libxml2 per call (a document libxml2 converts from another encoding is
        /// handed over in fixed 64 KiB blocks instead, so that it reads the same however it arrives).
        public var chunkSize: Int

        public init(maxRecordBytes: Int = 1 << 20, maxDepth: Int = 64, schema: XMLSchema? = nil, chunkSize: Int = 64 << 10) {
            self.maxRecordBytes = maxRecordBytes
            self.maxDepth = maxDepth
            self.schema = schema
            self.chunkSize = max(1, chunkSize)
        }
    }

    public let layout: XMLRecordLayout
    private let source: ByteSource
    private let options: Options
    private let buffer: UnsafeMutableRawBufferPointer
    private let assembler: UnsafeMutablePointer<XMLRecordAssembler>
    private var parser: XMLPushParser

    private var bufferStart: Int64 = 0
    private var filled = 0
    private var fed = 0
    private var checked = 0
    private var lineAtBufferStart = 1
    private var sourceEnded = false
    private var finished = false
    /// False when the document declares another encoding, which libxml2 converts (no own UTF-8
    /// check, no resynchronization, byte offsets approximate).
    private var isUTF8 = true
    /// Whether libxml2 converts the bytes from a declared or detected encoding (ASCII included):
    /// it is then fed fixed blocks (see `nextFeedSize`).
    private var converted = false
    private var invalidUTF8At: Int64?
    /// Whether reading stops at `invalidUTF8At` for a NUL byte rather than for invalid UTF-8.
    private var stopsAtNUL = false
    private var delivered = 0
    private var pending: FormatError?

    /// Bytes read from the source per call, and fed bytes kept for resynchronization.
    private static let readSize = 256 << 10
    private static let retained = 256 << 10
    /// The blocks a converted document is fed in, at offsets that are multiples of it.
    static let conversionBlock: Int64 = 64 << 10

    /// Opens a reader and reads the first bytes (to learn the document's encoding).
    ///
    /// - Throws: ``FormatError/io(_:)`` when the source fails.
    public init(source: ByteSource, layout: XMLRecordLayout, options: Options = Options()) throws(FormatError) {
        self.source = source
        self.layout = layout
        self.options = options
        buffer = .allocate(byteCount: XMLRecordReader.readSize + XMLRecordReader.retained + 4096, alignment: 16)
        assembler = .allocate(capacity: 1)
        assembler.initialize(to: XMLRecordAssembler(fileName: source.name, layout: layout, maxDepth: options.maxDepth,
                                                    maxRecordBytes: options.maxRecordBytes))
        parser = XMLPushParser(fileName: source.name, assembler: assembler, schema: options.schema)
        assembler.pointee.parser = parser
        while filled < 1024, !sourceEnded { try read() }
        let prefix = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
        isUTF8 = XMLRecordReader.isUTF8Document(prefix)
        let declaration = XMLRecordReader.encodingDeclaration(prefix)
        parser.conversionStart = Int64(declaration?.end ?? 0)
        converted = !isUTF8 || (declaration.map { !["utf-8", "utf8"].contains($0.name) } ?? false)
        assembler.pointee.exactOffsets = isUTF8
        validate()
    }

    deinit {
        assembler.pointee.parser = nil
        assembler.deinitialize(count: 1)
        assembler.deallocate()
        buffer.deallocate()
    }

    /// The next record, or nil at the end of the document.
    ///
    /// - Throws: ``FormatError`` when the document cannot be read on (see the type's discussion);
    ///   the same error again on later calls.
    public func next() throws(FormatError) -> XMLRecord? {
        while true {
            if delivered < assembler.pointee.records.count {
                delivered += 1
                return assembler.pointee.records[delivered - 1]
            }
            if delivered > 0 {
                assembler.pointee.records.removeAll(keepingCapacity: true)
                delivered = 0
            }
            if let pending { throw pending }
            if finished { return nil }
            try advance()
        }
    }

    /// Input bytes consumed so far (for progress).
    public var bytesConsumed: Int64 { bufferStart + Int64(fed) }

    // MARK: - Feeding

    private func advance() throws(FormatError) {
        if let n = nextFeedSize() {
            assembler.pointee.window = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
            assembler.pointee.windowStart = bufferStart
            parser.feed(UnsafeRawBufferPointer(rebasing: buffer[fed..<fed + n]))
            fed += n
            try afterFeed(atEnd: false)
        } else if let offset = invalidUTF8At {
            pending = .malformed(file: source.name, line: line(at: offset), byteOffset: offset,
                                 detail: stopsAtNUL ? "a NUL byte, which XML allows nowhere"
                                     : "invalid UTF-8 (the document is read as UTF-8; declare its encoding if it is another)")
        } else if sourceEnded {
            parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), terminate: true)
            try afterFeed(atEnd: true)
            if pending == nil { finished = true }
        } else {
            try read()
            validate()
        }
    }

    /// How many checked bytes to hand libxml2 next, or nil to read on first (or when all are fed).
    ///
    /// libxml2 converts another encoding as the bytes are pushed, and what it does at a byte it
    /// cannot convert depends on where the push ended: it went on with what it had, or halted without
    /// a word (then the document was truncated, or had no root), so a document read whole and the
    /// same drip-fed came out differently (fuzz finding). A converted document is therefore pushed
    /// in blocks that end at multiples of `conversionBlock` (or at the end of what can be read),
    /// whatever the source's chunks and `chunkSize`.
    private func nextFeedSize() -> Int? {
        let available = checked - fed
        guard available > 0 else { return nil }
        guard converted else {
            let n = min(options.chunkSize, available)
            return assembler.pointee.depth == 0 ? outsideRootFeedSize(n) : n
        }
        let block = XMLRecordReader.conversionBlock
        let toBlockEnd = Int(block - (bufferStart + Int64(fed)) % block)
        if available >= toBlockEnd { return toBlockEnd }
        return sourceEnded || invalidUTF8At != nil ? available : nil
    }

    /// Outside the root element libxml2 2.9 looks for the `-->` that ends a comment from the
    /// comment's first byte, so `<!-->` and `<!--->` seemed to end at once and, cut by the end of a
    /// push, a valid comment was "not terminated" (fuzz finding; inside the root it skips the `<!--`).
    /// There a push therefore never ends inside a comment: it stops before one whose end has not
    /// been read yet (reading on first, unless the buffer is full or the input ended) or takes all of it.
    private func outsideRootFeedSize(_ n: Int) -> Int? {
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<checked])
        let end = fed + n
        var from = max(0, fed - 3)  // an opener cut by the previous push
        while let open = XMLRecordReader.find(XMLRecordReader.commentOpen, in: bytes, from: from, before: end) {
            guard let close = XMLRecordReader.find(XMLRecordReader.commentClose, in: bytes, from: open + 4, before: checked) else {
                if open > fed { return open - fed }
                return sourceEnded || invalidUTF8At != nil || !canReadMore ? n : nil
            }
            if close + 3 >= end { return close + 3 - fed }
            from = close + 3
        }
        return n
    }

    private static let commentOpen = Array("<!--".utf8)
    private static let commentClose = Array("-->".utf8)

    /// The first offset in `from..<before` where `pattern` starts (it may run past `before`, not past the bytes).
    static func find(_ pattern: [UInt8], in bytes: UnsafeRawBufferPointer, from: Int, before: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var i = from
        let limit = min(before, bytes.count - pattern.count + 1)
        while i < limit, let hit = memchr(base + i, Int32(pattern[0]), limit - i) {
            let j = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + j, pattern, pattern.count) == 0 { return j }
            i = j + 1
        }
        return nil
    }

    /// Whether `read()` can add bytes (after making room).
    private var canReadMore: Bool {
        var free = buffer.count - filled
        if free < XMLRecordReader.readSize { free += max(0, fed - XMLRecordReader.retained) }
        return free > 0
    }

    private func afterFeed(atEnd: Bool) throws(FormatError) {
        if let fatal = assembler.pointee.fatal {
            pending = fatal
        } else if let request = assembler.pointee.resync {
            try resynchronize(request, atEnd: atEnd)
        }
        if atEnd, assembler.pointee.depth > 0 {
            // libxml2 words a cut-off document oddly ("Extra content at the end of the document").
            pending = .malformed(file: source.name, line: lineAtEnd, byteOffset: bufferStart + Int64(filled),
                                 detail: "the document ends before </\(layout.rootName)> (truncated?)")
        } else if atEnd, pending == nil, assembler.pointee.rootTag.isEmpty {
            // Fed in small pieces, libxml2 could stop at an encoding it cannot convert without
            // reporting it, and a document with no root element passed as empty (fuzz finding).
            pending = .malformed(file: source.name, line: lineAtEnd, byteOffset: bufferStart + Int64(filled),
                                 detail: "the document has no <\(layout.rootName)> element")
        }
    }

    /// Reads the next bytes from the source, first making room (keeping `retained` fed bytes).
    private func read() throws(FormatError) {
        if buffer.count - filled < XMLRecordReader.readSize {
            let drop = max(0, fed - XMLRecordReader.retained)
            if drop > 0 {
                lineAtBufferStart += XMLRecordReader.countNewlines(UnsafeRawBufferPointer(rebasing: buffer[0..<drop]))
                if filled > drop {
                    buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + drop, byteCount: filled - drop)
                }
                bufferStart += Int64(drop)
                filled -= drop
                fed -= drop
                checked -= drop
            }
        }
        let room = min(buffer.count - filled, XMLRecordReader.readSize)
        guard room > 0 else { return }
        let n: Int
        do {
            n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<filled + room]))
        } catch {
            throw .io(error)
        }
        if n == 0 { sourceEnded = true }
        filled += n
    }

    /// Advances `checked` over the bytes that are well-formed UTF-8 (a sequence cut by the end
    /// of the bytes read so far waits for the rest).
    private func validate() {
        guard invalidUTF8At == nil else { return }
        guard isUTF8 else {
            checked = filled
            return
        }
        var end = filled
        if !sourceEnded {
            // Leave a multi-byte sequence that may continue in the next read.
            var i = filled
            while i > checked, filled - i < 3, buffer[i - 1] & 0xC0 == 0x80 { i -= 1 }
            if i > checked, buffer[i - 1] >= 0xC0 { end = i - 1 }
        }
        guard end > checked else { return }
        let bytes = UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + checked, count: end - checked)
        var bad = TextEncoding.firstInvalidUTF8(bytes)
        // A NUL byte is valid UTF-8 but allowed nowhere in XML, and libxml2 takes it for the end of
        // its input: what it made of the rest depended on where a chunk ended (fuzz finding). Stop
        // there as for invalid UTF-8.
        if let nul = memchr(bytes.baseAddress!, 0, bad ?? bytes.count) {
            bad = UnsafeRawPointer(nul) - UnsafeRawPointer(bytes.baseAddress!)
            stopsAtNUL = true
        }
        if let bad {
            invalidUTF8At = bufferStart + Int64(checked + bad)
            checked += bad
        } else {
            checked = end
        }
    }

    // MARK: - Resynchronization

    /// The parser failed inside a record: emit it as defective and restart a parser at the next
    /// record's start tag (or the root's end tag). Without one, the error ends the reading.
    private func resynchronize(_ request: XMLRecordAssembler.ResyncRequest, atEnd: Bool) throws(FormatError) {
        let failure = FormatError.malformed(file: source.name, line: request.line, byteOffset: request.errorOffset, detail: request.message)
        guard isUTF8, !atEnd else {
            pending = failure
            return
        }
        let recordTag = assembler.pointee.recordTag.isEmpty ? Array(layout.recordName.utf8) : assembler.pointee.recordTag
        let rootName = assembler.pointee.rootTag.isEmpty ? Array(layout.rootName.utf8) : XMLRecordReader.tagName(assembler.pointee.rootTag)
        var from = max(request.errorOffset, request.recordOffset + 1)
        var found: Int64?
        while found == nil {
            guard from >= bufferStart else { break }
            found = XMLRecordReader.findResyncPoint(in: UnsafeRawBufferPointer(rebasing: buffer[0..<checked]), from: Int(from - bufferStart),
                                                    recordTag: recordTag, rootName: rootName).map { bufferStart + Int64($0) }
            if found != nil || sourceEnded || invalidUTF8At != nil { break }
            // Skip what was searched (keeping a tag's length to catch one cut in two) and read on.
            from = max(from, bufferStart + Int64(checked) - Int64(recordTag.count + rootName.count + 3))
            fed = checked
            try read()
            validate()
        }
        guard let resume = found else {
            pending = failure
            return
        }
        assembler.pointee.abandonRecord(detail: "line \(request.line): \(request.message)")
        let prefix = assembler.pointee.rootTag.isEmpty ? Array("<\(layout.rootName)>".utf8) : assembler.pointee.rootTag
        let next = XMLPushParser(fileName: source.name, assembler: assembler, schema: options.schema)
        assembler.pointee.beginSegment(parser: next, lineBase: line(at: resume) - 1, byteBase: resume - Int64(prefix.count))
        parser = next
        next.feed(prefix)
        fed = Int(resume - bufferStart)
    }

    /// The first `<record` start tag or `</root` end tag at or after `from`.
    static func findResyncPoint(in bytes: UnsafeRawBufferPointer, from: Int, recordTag: [UInt8], rootName: [UInt8]) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var i = max(0, from)
        let n = bytes.count
        func endsName(_ j: Int, alsoSlash: Bool) -> Bool {
            guard j < n else { return false }
            let b = bytes[j]
            return b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: ">") || (alsoSlash && b == UInt8(ascii: "/"))
        }
        func matches(_ name: [UInt8], at j: Int) -> Bool {
            guard j + name.count <= n else { return false }
            for k in 0..<name.count where bytes[j + k] != name[k] { return false }
            return true
        }
        while i < n, let hit = memchr(base + i, Int32(UInt8(ascii: "<")), n - i) {
            let j = base.distance(to: UnsafeRawPointer(hit))
            if matches(recordTag, at: j + 1), endsName(j + 1 + recordTag.count, alsoSlash: true) { return j }
            if j + 1 < n, bytes[j + 1] == UInt8(ascii: "/"), matches(rootName, at: j + 2), endsName(j + 2 + rootName.count, alsoSlash: false) { return j }
            i = j + 1
        }
        return nil
    }

    /// The element name of a start tag's text (`<p:customers xmlns:p="…">` → `p:customers`).
    private static func tagName(_ tag: [UInt8]) -> [UInt8] {
        Array(tag.dropFirst().prefix { $0 != 0x20 && $0 != UInt8(ascii: ">") })
    }

    // MARK: - Lines and encodings

    /// The 1-based line of a document offset inside the buffer.
    private func line(at offset: Int64) -> Int {
        let end = Int(min(max(offset - bufferStart, 0), Int64(filled)))
        return lineAtBufferStart + XMLRecordReader.countNewlines(UnsafeRawBufferPointer(rebasing: buffer[0..<end]))
    }

    private var lineAtEnd: Int { line(at: bufferStart + Int64(filled)) }

    static func countNewlines(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0
        var i = 0
        while i < bytes.count, let hit = memchr(base + i, 0x0A, bytes.count - i) {
            count += 1
            i = base.distance(to: UnsafeRawPointer(hit)) + 1
        }
        return count
    }

    /// Whether the document is UTF-8 (or ASCII): no UTF-16/32 byte order or layout, and no XML
    /// declaration naming another encoding.
    static func isUTF8Document(_ prefix: UnsafeRawBufferPointer) -> Bool {
        if prefix.count >= 2 {
            let (a, b) = (prefix[0], prefix[1])
            if (a == 0xFE && b == 0xFF) || (a == 0xFF && b == 0xFE) || a == 0 || b == 0 { return false }
        }
        guard let declared = encodingDeclaration(prefix) else { return true }
        return ["utf-8", "utf8", "us-ascii", "ascii"].contains(declared.name)
    }

    /// The encoding an ASCII XML declaration names (lowercased), and the offset just past the
    /// quote that closes it, which is where libxml2 switches to converting; nil without one.
    static func encodingDeclaration(_ prefix: UnsafeRawBufferPointer) -> (name: String, end: Int)? {
        let bytes = Array(prefix.prefix(1024))
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        guard bytes[start...].starts(with: Array("<?xml".utf8)) else { return nil }
        let end = bytes[start...].firstIndex(of: UInt8(ascii: ">")) ?? bytes.count
        let declaration = Array(bytes[start..<end])
        let key = Array("encoding".utf8)
        guard let at = (0..<declaration.count).first(where: { declaration[$0...].starts(with: key) }) else { return nil }
        var i = at + key.count
        while i < declaration.count, [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "=")].contains(declaration[i]) { i += 1 }
        guard i < declaration.count else { return nil }
        let quote = declaration[i]
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
        let raw = declaration[(i + 1)...].prefix { $0 != quote }
        let name = raw.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        return (String(decoding: name, as: UTF8.self), start + i + 1 + raw.count + 1)
    }
}
