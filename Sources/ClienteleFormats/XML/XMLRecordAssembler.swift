import ClienteleIO
// Invariants:
// - `depth` counts the open elements of the current parser's document: 1 is the root, 2 a
//   record, more is inside a record. `frames` holds the open elements of the current record
//   (frames[0] is the record itself) unless the record is being skipped.
// - `members` holds the finished children of every open frame, each frame's from its
//   `memberStart`; `text` holds the character data of the innermost open frame from its
//   `textStart` (a frame's text is dropped when a child starts, after checking it is blank).
// - A record is appended to `records` when it closes; errors that libxml2 reports right after
//   (the schema validator checks an element after its end callback) still reach it through
//   `lastClosed`, which any later event clears.
// - After `fatal` or `resync` is set, events are ignored: the reader stops feeding this parser.
// - With `layout.attributePrefix` set, a frame's kept attributes are its first `attributeCount`
//   members (from `memberStart`), appended when it starts; child elements follow them.
// - `openCDATA` marks where in `text` the CDATA libxml2 may still be handing over began: any other
//   event ends it; a record abandoned before that drops it (see `cdata`).

/// Builds JSON-shaped records out of SAX2 events, one record at a time (bounded memory).
struct XMLRecordAssembler: ~Copyable {
    /// A fatal parser error inside a record, which the reader may get past by restarting at the
    /// next record's start tag.
    struct ResyncRequest {
        /// Where the parser stopped, in document bytes.
        var errorOffset: Int64
        var line: Int
        var message: String
        /// The broken record's start tag, in document bytes.
        var recordOffset: Int64
    }

    /// What an element name means in the layout; interned per parser by libxml2's name pointer.
    struct ElementName {
        enum Role { case plain, list, map }
        var key: String
        var role: Role
        /// The item element name of a list or map container.
        var itemKey: String
        /// The key attribute of a map container's items.
        var mapKeyAttribute: [UInt8]
    }

    struct Frame {
        var name: Int
        var memberStart: Int
        var textStart: Int
        var hasChildren = false
        /// The member key of a map item (its key attribute), instead of its element name.
        var key: String?
        /// Kept XML attributes: the frame's first members.
        var attributeCount = 0
    }

    let fileName: String
    let layout: XMLRecordLayout
    let maxDepth: Int
    let maxRecordBytes: Int
    /// `layout.attributePrefix != nil`, read once (checked for every start tag).
    let keepsAttributes: Bool

    /// The parser feeding this assembler (for its line and byte count); owned by the reader.
    unowned(unsafe) var parser: XMLPushParser?
    /// Document line = parser line + `lineBase`; document byte = parser byte + `byteBase`.
    var lineBase = 0
    var byteBase: Int64 = 0
    /// Byte offsets are exact only when libxml2 reads the bytes as they are (UTF-8).
    var exactOffsets = true
    /// The bytes the reader holds, to find the `<` of a record's start tag.
    var window = UnsafeRawBufferPointer(start: nil, count: 0)
    var windowStart: Int64 = 0

    var depth = 0
    /// The root start tag rebuilt (name and namespace declarations), to restart a parser with.
    var rootTag: [UInt8] = []
    /// The record element's name as written, to find the next record when resynchronizing.
    var recordTag: [UInt8] = []
    var recordCount = 0

    private var names: [ElementName] = []
    private var nameIndex = PointerTable()
    private var cachedNames = 0
    private var frames: [Frame] = []
    private var members: [JSONMember] = []
    private var text = ByteBuffer()
    private var recordBytes = 0
    private var skipping = false
    private var position = SourcePosition(line: 0, byteOffset: 0, record: 0)
    private var problems: [String] = []
    /// Where the text of the CDATA run being handed over starts in `text`, or nil.
    private var openCDATA: Int?
    /// The open CDATA run went past `maxRecordBytes` (its further bytes were not kept).
    private var openCDATAOverflows = false

    /// Finished records, oldest first; the reader drains it.
    var records: [XMLRecord] = []
    private var lastClosed: Int?
    var fatal: FormatError?
    var resync: ResyncRequest?

    init(fileName: String, layout: XMLRecordLayout, maxDepth: Int, maxRecordBytes: Int) {
        self.fileName = fileName
        self.layout = layout
        self.maxDepth = maxDepth
        self.maxRecordBytes = maxRecordBytes
        keepsAttributes = layout.attributePrefix != nil
        frames.reserveCapacity(16)
        members.reserveCapacity(64)
    }

    /// Starts over with a new parser whose input begins at document line `lineBase + 1` and byte
    /// `byteBase` (a resynchronization); the record count goes on.
    mutating func beginSegment(parser: XMLPushParser, lineBase: Int, byteBase: Int64) {
        self.parser = parser
        self.lineBase = lineBase
        self.byteBase = byteBase
        depth = 0
        resync = nil
        lastClosed = nil
        openCDATA = nil
        openCDATAOverflows = false
        // A new parser interns names in a new dictionary.
        names.removeAll(keepingCapacity: true)
        nameIndex.removeAll()
        cachedNames = 0
    }

    // MARK: - Events

    mutating func startElement(_ tag: XMLStartTag) {
        lastClosed = nil
        guard fatal == nil, resync == nil else { return }
        closeCDATA()
        depth += 1
        switch depth {
        case 1: startRoot(tag)
        case 2: startRecord(tag)
        default:
            if depth - 1 > maxDepth {
                stop(.tooDeep(file: fileName, line: currentLine, limit: maxDepth))
                return
            }
            if skipping { return }
            startField(tag)
        }
    }

    mutating func endElement() {
        lastClosed = nil
        guard fatal == nil, resync == nil else { return }
        closeCDATA()
        defer { depth -= 1 }
        switch depth {
        case 1: return
        case 2:
            finishRecord()
            lastClosed = records.count - 1
        default:
            if !skipping { closeField() }
        }
    }

    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        lastClosed = nil
        guard fatal == nil, resync == nil else { return }
        closeCDATA()
        if depth >= 2 {
            if skipping { return }
            text.append(contentsOf: bytes)
            recordBytes += bytes.count
            if recordBytes > maxRecordBytes { skipRecord() }
        } else if depth == 1, !XMLRecordAssembler.isBlank(bytes) {
            stop(.malformed(file: fileName, line: currentLine, byteOffset: currentOffset,
                            detail: "text outside any <\(layout.recordName)> element"))
        }
    }

    /// The text of a CDATA section, in one piece or (not all of it buffered yet) in 300-byte blocks.
    ///
    /// libxml2 2.9 checks a section whose `]]>` it holds before handing any of it over, but hands an
    /// unfinished one over block by block as it arrives. At an illegal character inside, the record
    /// had none of the section read whole and part of it drip-fed (fuzz finding). So the section's
    /// text counts as read only once another event shows it ended; a record abandoned before that
    /// drops it, and a section that outgrows the record limit skips the record only then.
    mutating func cdata(_ bytes: UnsafeBufferPointer<UInt8>) {
        lastClosed = nil
        guard fatal == nil, resync == nil else { return }
        guard depth >= 2 else {
            characters(bytes)
            return
        }
        if skipping { return }
        if openCDATA == nil { openCDATA = text.count }
        recordBytes += bytes.count
        if recordBytes > maxRecordBytes {
            openCDATAOverflows = true
        } else {
            text.append(contentsOf: bytes)
        }
    }

    /// The CDATA run being handed over is complete (another event came).
    private mutating func closeCDATA() {
        guard openCDATA != nil else { return }
        openCDATA = nil
        if openCDATAOverflows {
            openCDATAOverflows = false
            skipRecord()
        }
    }

    /// A libxml2 parser message.
    mutating func parserError(level: XMLIssueLevel, code: Int, line: Int, message: String) {
        guard fatal == nil, resync == nil else { return }
        let documentLine = line > 0 ? line + lineBase : currentLine
        switch level {
        case .warning:
            // An entity that is not declared (possible only with an external subset, which is never
            // loaded): its text is missing, so the record cannot be trusted.
            if code == XMLRecordAssembler.undeclaredEntityWarning, depth >= 2 {
                problem("line \(documentLine): \(message)")
            }
        case .error:
            if depth >= 2 {
                problem("line \(documentLine): \(message)")
            } else {
                stop(.malformed(file: fileName, line: documentLine, byteOffset: currentOffset, detail: message))
            }
        case .fatal:
            if depth >= 2, !frames.isEmpty || skipping {
                resync = ResyncRequest(errorOffset: currentOffset, line: documentLine, message: message,
                                       recordOffset: position.byteOffset)
            } else {
                stop(.malformed(file: fileName, line: documentLine, byteOffset: currentOffset, detail: message))
            }
        }
    }

    /// A schema validity error.
    mutating func schemaError(_ message: String) {
        guard fatal == nil, resync == nil else { return }
        let text = "does not match the schema: \(message)"
        if depth >= 2 {
            if !skipping { problem(text + " (line \(currentLine))") }
        } else if let i = lastClosed {
            let previous = records[i].defect.map { $0.description + "; " } ?? ""
            records[i].defect = .malformed(detail: previous + text)
        } else {
            stop(.malformed(file: fileName, line: currentLine, byteOffset: currentOffset, detail: text))
        }
    }

    /// An entity declaration: the document is refused (XXE and entity-expansion protection).
    mutating func refuseEntityDeclaration(_ name: String) {
        guard fatal == nil else { return }
        stop(.malformed(file: fileName, line: currentLine, byteOffset: currentOffset,
                        detail: "the document declares the entity '\(name)'; documents that declare entities are refused"))
    }

    /// Gives up the record being read (the parser failed inside it): it is emitted with what was
    /// read of it and `detail` as its defect.
    mutating func abandonRecord(detail: String) {
        if let start = openCDATA {
            text.truncate(to: start)
            openCDATA = nil
            openCDATAOverflows = false
        }
        if !skipping {
            while frames.count > 1 { closeField() }
        }
        problems.insert(detail, at: 0)
        finishRecord()
    }

    // MARK: - Building

    private mutating func startRoot(_ tag: XMLStartTag) {
        let name = tag.localNameBytes
        guard name.elementsEqual(layout.rootName.utf8) else {
            stop(.malformed(file: fileName, line: currentLine, byteOffset: currentOffset,
                            detail: "the document element is <\(String(decoding: name, as: UTF8.self))>, expected <\(layout.rootName)>"))
            return
        }
        rootTag = [UInt8(ascii: "<")] + tag.qualifiedName + tag.namespaceDeclarations + [UInt8(ascii: ">")]
    }

    private mutating func startRecord(_ tag: XMLStartTag) {
        recordCount += 1
        frames.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)
        text.removeAll()
        problems.removeAll()
        skipping = false
        names.removeSubrange(cachedNames...)
        position = SourcePosition(line: currentLine, byteOffset: startTagOffset(), record: recordCount)
        let name = nameID(tag)
        recordBytes = tag.localNameBytes.count + 16
        if names[name].key == layout.recordName {
            if recordTag.isEmpty { recordTag = tag.qualifiedName }
        } else {
            problem("expected <\(layout.recordName)>, found <\(names[name].key)>")
        }
        frames.append(Frame(name: name, memberStart: 0, textStart: 0))
        if tag.attributeCount > 0, keepsAttributes { keepAttributes(tag, skipping: []) }
    }

    private mutating func startField(_ tag: XMLStartTag) {
        let name = nameID(tag)
        recordBytes += tag.localNameBytes.count + 16
        if recordBytes > maxRecordBytes {
            skipRecord()
            return
        }
        let parentIndex = frames.count - 1
        let parentTextStart = frames[parentIndex].textStart
        let parent = frames[parentIndex].name
        if text.count > parentTextStart {
            checkBlank(from: parentTextStart, in: parent)
            text.truncate(to: parentTextStart)
        }
        frames[parentIndex].hasChildren = true
        var key: String?
        switch names[parent].role {
        case .plain: break
        case .list:
            if names[name].key != names[parent].itemKey {
                problem("<\(names[parent].key)> holds <\(names[parent].itemKey)> items, found <\(names[name].key)>")
            }
        case .map:
            if names[name].key == names[parent].itemKey {
                key = tag.attributeValue(named: names[parent].mapKeyAttribute) ?? ""
            } else {
                problem("<\(names[parent].key)> holds <\(names[parent].itemKey)> items, found <\(names[name].key)>")
            }
        }
        frames.append(Frame(name: name, memberStart: members.count, textStart: text.count, key: key))
        if tag.attributeCount > 0, keepsAttributes, names[name].role == .plain {
            keepAttributes(tag, skipping: key == nil ? [] : names[parent].mapKeyAttribute)
        }
    }

    /// Appends the tag's attributes as members of the innermost frame (`attributePrefix` + name),
    /// leaving out a map item's key attribute.
    private mutating func keepAttributes(_ tag: XMLStartTag, skipping keyAttribute: [UInt8]) {
        let prefix = layout.attributePrefix ?? ""
        var kept = 0
        for i in 0..<tag.attributeCount {
            if !keyAttribute.isEmpty, tag.attributeLocalName(at: i).elementsEqual(keyAttribute) { continue }
            let name = tag.attributeName(at: i)
            recordBytes += name.utf8.count + tag.attributeValueLength(at: i) + 4
            members.append(JSONMember(prefix + name, .string(tag.attributeValue(at: i))))
            kept += 1
        }
        frames[frames.count - 1].attributeCount = kept
        if recordBytes > maxRecordBytes { skipRecord() }
    }

    private mutating func closeField() {
        let frame = frames.removeLast()
        let value = self.value(of: frame)
        while members.count > frame.memberStart { members.removeLast() }
        text.truncate(to: frame.textStart)
        members.append(JSONMember(frame.key ?? names[frame.name].key, value))
    }

    private mutating func finishRecord() {
        var value = JSONValue.null
        if !skipping, let frame = frames.first {
            if !frame.hasChildren, text.count > frame.textStart {
                checkBlank(from: frame.textStart, in: frame.name)
            }
            value = frame.hasChildren ? self.value(of: frame) : .object(Array(members[0..<frame.attributeCount]))
        }
        let defect: RecordDefect? = problems.isEmpty ? nil : .malformed(detail: problems.joined(separator: "; "))
        records.append(XMLRecord(value: value, position: position, defect: defect))
        frames.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)
        text.removeAll()
        skipping = false
    }

    /// The value of a closing element: its children (object or list) or its text.
    private mutating func value(of frame: Frame) -> JSONValue {
        let role = names[frame.name].role
        if frame.hasChildren {
            if text.count > frame.textStart { checkBlank(from: frame.textStart, in: frame.name) }
            let children = members[frame.memberStart...]
            if role == .list { return .array(children.map(\.value)) }
            return .object(Array(children))
        }
        let bytes = text.suffix(from: frame.textStart)
        let isBlank = XMLRecordAssembler.isBlank(bytes)
        if frame.attributeCount > 0 {
            // Kept attributes make an object; the text, if any, goes under the layout's text key.
            var object = Array(members[frame.memberStart..<(frame.memberStart + frame.attributeCount)])
            if !isBlank { object.append(JSONMember(layout.textKey, .string(String(decoding: bytes, as: UTF8.self)))) }
            return .object(object)
        }
        if isBlank {
            switch role {
            case .list: return .array([])
            case .map: return .object([])
            case .plain: return .null
            }
        }
        return .string(String(decoding: bytes, as: UTF8.self))
    }

    /// Text beside child elements is an error unless it is blank.
    private mutating func checkBlank(from start: Int, in name: Int) {
        let blank = XMLRecordAssembler.isBlank(text.suffix(from: start))
        if !blank {
            problem(frames.count == 1 && names[name].key == layout.recordName
                    ? "<\(names[name].key)> holds elements, not text"
                    : "<\(names[name].key)> mixes text with elements")
        }
    }

    /// The record outgrew `maxRecordBytes`: drop what was built and skip to its end.
    private mutating func skipRecord() {
        openCDATA = nil
        openCDATAOverflows = false
        problem("the record is larger than \(maxRecordBytes) bytes (--max-record-bytes)")
        skipping = true
        frames.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)
        text.removeAll()
    }

    private mutating func problem(_ text: String) {
        if problems.count < 5, !problems.contains(text) { problems.append(text) }
    }

    private mutating func stop(_ error: FormatError) {
        if fatal == nil { fatal = error }
        parser?.stop()
    }

    /// The index of the element's name in `names`, interned by libxml2's dictionary pointer.
    private mutating func nameID(_ tag: XMLStartTag) -> Int {
        let pointer = UnsafeRawPointer(tag.localName)
        if let i = nameIndex.find(pointer) { return i }
        let key = String(decoding: tag.localNameBytes, as: UTF8.self)
        let name: ElementName
        if let item = layout.lists[key] {
            name = ElementName(key: key, role: .list, itemKey: item, mapKeyAttribute: [])
        } else if let map = layout.maps[key] {
            name = ElementName(key: key, role: .map, itemKey: map.item, mapKeyAttribute: Array(map.keyAttribute.utf8))
        } else {
            name = ElementName(key: key, role: .plain, itemKey: "", mapKeyAttribute: [])
        }
        // Names seen within records stay cached; a hostile document with endless distinct names
        // gets them built per record instead (dropped at the next record).
        if cachedNames == names.count, nameIndex.insert(pointer, names.count) {
            names.append(name)
            cachedNames += 1
            return names.count - 1
        }
        names.append(name)
        return names.count - 1
    }

    // MARK: - Positions

    private var currentLine: Int { (parser?.line ?? 1) + lineBase }

    private var currentOffset: Int64 { (parser?.consumed ?? 0) + byteBase }

    /// The offset of the `<` of the start tag being reported: libxml2 is at its end.
    private func startTagOffset() -> Int64 {
        let consumed = currentOffset
        guard exactOffsets else { return consumed }
        var i = Int(consumed - windowStart)
        guard i > 0, i <= window.count else { return consumed }
        let floor = max(0, i - (64 << 10))
        while i > floor {
            i -= 1
            if window[i] == UInt8(ascii: "<") { return windowStart + Int64(i) }
        }
        return consumed
    }

    // MARK: - Bytes

    static let undeclaredEntityWarning = 27  // XML_WAR_UNDECLARED_ENTITY

    /// Whether `bytes` holds XML white space only (space, tab, CR, LF).
    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in bytes where b != 0x20 && b != 0x0A && b != 0x09 && b != 0x0D { return false }
        return true
    }
}

/// Element-name pointers (interned by libxml2's dictionary) to indices: a small open-addressing
/// table, cheaper than hashing with `Hasher` on every element.
struct PointerTable {
    private var keys = [UnsafeRawPointer?](repeating: nil, count: 1024)
    private var values = [Int](repeating: 0, count: 1024)
    private(set) var count = 0

    @inline(__always)
    private func slot(_ p: UnsafeRawPointer) -> Int {
        Int(truncatingIfNeeded: ((UInt(bitPattern: p) >> 3) &* 0x9E37_79B9_7F4A_7C15) >> 54)
    }

    func find(_ p: UnsafeRawPointer) -> Int? {
        var i = slot(p)
        while let k = keys[i] {
            if k == p { return values[i] }
            i = (i + 1) & 1023
        }
        return nil
    }

    /// Adds `p → value`; false when the table is full enough that it no longer caches.
    mutating func insert(_ p: UnsafeRawPointer, _ value: Int) -> Bool {
        guard count < 512 else { return false }
        var i = slot(p)
        while keys[i] != nil { i = (i + 1) & 1023 }
        keys[i] = p
        values[i] = value
        count += 1
        return true
    }

    mutating func removeAll() {
        for i in keys.indices { keys[i] = nil }
        count = 0
    }
}
