import CLibXML2

#if canImport(Glibc)
import Glibc
#endif

// Invariants:
// - This file is the only one that holds libxml2 objects. `XMLPushParser` owns one parser
//   context (and, with a schema, one validation context and its SAX plug); `deinit` frees them in
//   reverse order. Nothing else keeps a libxml2 pointer beyond a callback.
// - Callbacks are C function pointers without captures. They reach the assembler through the
//   context's `_private` (errors) or the SAX user data (events), both the same
//   `UnsafeMutablePointer<XMLRecordAssembler>` owned by the reader, which outlives the parser.
//   With a schema plugged in, libxml2 hands parser errors the plug as user data, so the error
//   callback always goes through `error->ctxt->_private` instead.
// - Options: XML_PARSE_NONET only. Never NOENT (entity substitution), DTDLOAD, DTDATTR or HUGE;
//   `externalSubset` and `resolveEntity` are left unset so no external subset or entity is ever
//   fetched; `entityDecl`/`unparsedEntityDecl` refuse the document at the first declaration,
//   which is what makes XXE and entity-expansion bombs end at once.

/// One libxml2 SAX2 push parser, fed chunk by chunk, reporting to an ``XMLRecordAssembler``.
final class XMLPushParser {
    private let context: xmlParserCtxtPtr
    private var validation: xmlSchemaValidCtxtPtr?
    private var plug: xmlSchemaSAXPlugPtr?

    /// - Parameters:
    ///   - fileName: the name libxml2 puts in its errors.
    ///   - assembler: receives every event; must outlive the parser.
    ///   - schema: validate the document against it as it streams.
    init(fileName: String, assembler: UnsafeMutablePointer<XMLRecordAssembler>, schema: XMLSchema?) {
        _ = LibXML2Setup.done
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { ctx, localName, prefix, _, namespaceCount, namespaces, attributeCount, _, attributes in
            guard let ctx, let localName else { return }
            ctx.assumingMemoryBound(to: XMLRecordAssembler.self).pointee.startElement(XMLStartTag(
                localName: localName, prefix: prefix, namespaceCount: Int(namespaceCount), namespaces: namespaces,
                attributeCount: Int(attributeCount), attributes: attributes))
        }
        sax.endElementNs = { ctx, _, _, _ in
            ctx?.assumingMemoryBound(to: XMLRecordAssembler.self).pointee.endElement()
        }
        let text: charactersSAXFunc = { ctx, bytes, count in
            guard let ctx, let bytes, count > 0 else { return }
            ctx.assumingMemoryBound(to: XMLRecordAssembler.self).pointee.characters(UnsafeBufferPointer(start: bytes, count: Int(count)))
        }
        sax.characters = text
        sax.ignorableWhitespace = text
        sax.cdataBlock = { ctx, bytes, count in
            guard let ctx, let bytes, count > 0 else { return }
            ctx.assumingMemoryBound(to: XMLRecordAssembler.self).pointee.cdata(UnsafeBufferPointer(start: bytes, count: Int(count)))
        }
        sax.entityDecl = { ctx, name, _, _, _, _ in
            ctx?.assumingMemoryBound(to: XMLRecordAssembler.self).pointee.refuseEntityDeclaration(name.map { String(cString: $0) } ?? "")
        }
        sax.unparsedEntityDecl = { ctx, name, _, _, _ in
            ctx?.assumingMemoryBound(to: XMLRecordAssembler.self).pointee.refuseEntityDeclaration(name.map { String(cString: $0) } ?? "")
        }
        // No entity is ever found: predefined ones (&amp; …) and character references are resolved
        // by the parser before it asks; anything else is undeclared (an error, or with an external
        // subset a warning, which the error callback turns into a defect).
        sax.getEntity = { _, _ in nil }
        sax.getParameterEntity = { _, _ in nil }
        sax.serror = XMLPushParser.parserError

        let userData = UnsafeMutableRawPointer(assembler)
        context = fileName.withCString { name in xmlCreatePushParserCtxt(&sax, userData, nil, 0, name) }
        context.pointee._private = userData
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))

        if let schema, let valid = xmlSchemaNewValidCtxt(schema.pointer) {
            xmlSchemaSetValidStructuredErrors(valid, { userData, error in
                guard let userData, let error else { return }
                userData.assumingMemoryBound(to: XMLRecordAssembler.self).pointee.schemaError(XMLErrorText.message(of: error))
            }, userData)
            validation = valid
            plug = xmlSchemaSAXPlug(valid, &context.pointee.sax, &context.pointee.userData)
            // The plug keeps the handler's serror as it is; put ours back in case it did not.
            context.pointee.sax.pointee.serror = XMLPushParser.parserError
        }
    }

    deinit {
        if plug != nil { xmlSchemaSAXUnplug(plug) }
        if let validation { xmlSchemaFreeValidCtxt(validation) }
        xmlFreeParserCtxt(context)
    }

    /// Parser errors, warnings included. The assembler is found through the error's context.
    private static let parserError: xmlStructuredErrorFunc = { _, error in
        guard let error, let raw = error.pointee.ctxt else { return }
        let parserContext = raw.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let assembler = parserContext.pointee._private else { return }
        let e = error.pointee
        let level: XMLIssueLevel
        switch e.level {
        case XML_ERR_FATAL: level = .fatal
        case XML_ERR_ERROR: level = .error
        default: level = .warning
        }
        assembler.assumingMemoryBound(to: XMLRecordAssembler.self).pointee.parserError(
            level: level, code: Int(e.code), line: Int(e.line), message: XMLErrorText.message(of: error))
    }

    /// Parses `bytes` (nothing when empty) as far as they go; `terminate` says the document ends here.
    ///
    /// libxml2 2.9 does not always parse what it was given: in an unfinished CDATA section it
    /// takes one 300-byte block per call, and it skips parsing altogether when a chunk holds no
    /// `>` in some states. How far it got, and so whether it saw an illegal character in time to
    /// report it inside the record, depended on the chunking (fuzz finding). Calls without data
    /// make it go on until it stops making progress, so it always parses all it can.
    func feed(_ bytes: UnsafeRawBufferPointer, terminate: Bool = false) {
        let chars = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
        _ = xmlParseChunk(context, chars, Int32(bytes.count), terminate ? 1 : 0)
        guard !terminate else { return }
        var consumed = self.consumed
        while context.pointee.instate != XML_PARSER_EOF, context.pointee.disableSAX == 0 {
            _ = xmlParseChunk(context, nil, 0, 0)
            let now = self.consumed
            if now == consumed { break }
            consumed = now
        }
    }

    /// Feeds `bytes` given as an array (the synthetic root tag of a resynchronization).
    func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// The line the parser is on (1-based, counted from the first byte fed).
    var line: Int { Int(context.pointee.input?.pointee.line ?? 1) }

    /// Where libxml2 starts converting a document from a declared encoding: just past the closing
    /// quote of `encoding="…"`, in bytes fed (0 when the encoding is not declared in ASCII).
    var conversionStart: Int64 = 0

    /// Input bytes the parser has consumed, counted from the first byte fed: exact for UTF-8; for a
    /// converted encoding, `conversionStart` plus the UTF-8 bytes libxml2 made of the rest
    /// (approximate: a non-ASCII character counts its UTF-8 length; never negative).
    ///
    /// Not `xmlByteConsumed`, which for a converted document encodes the whole unparsed rest of
    /// libxml2's buffer back on every call (up to 64 KiB per element) and returns -1 when that
    /// fails, which depended on how much input was buffered: a record's offset was -1 read whole
    /// and 52 drip-fed (fuzz finding, UTF-7). Without an encoder both compute the same.
    var consumed: Int64 {
        guard let input = context.pointee.input else { return 0 }
        let decoded = Int64(input.pointee.consumed) + Int64(input.pointee.base.distance(to: input.pointee.cur))
        return convertsEncoding ? conversionStart + decoded : decoded
    }

    /// Whether libxml2 converts the input from a declared encoding other than UTF-8.
    var convertsEncoding: Bool { context.pointee.input?.pointee.buf?.pointee.encoder != nil }

    /// Stops parsing at once (from inside a callback); later feeds do nothing.
    func stop() { xmlStopParser(context) }
}

/// How serious a libxml2 message is.
enum XMLIssueLevel {
    case warning, error, fatal
}

/// The length of a NUL-terminated libxml2 string.
@inline(__always)
func cLength(_ p: UnsafePointer<UInt8>) -> Int {
    strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
}

/// A start tag as libxml2's SAX2 callback sees it; valid only during the callback.
struct XMLStartTag {
    let localName: UnsafePointer<UInt8>
    let prefix: UnsafePointer<UInt8>?
    let namespaceCount: Int
    /// Pairs of (prefix, URI) pointers.
    let namespaces: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    let attributeCount: Int
    /// Quintuples of (localname, prefix, URI, value start, value end) pointers.
    let attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?

    /// The element's name without prefix, as bytes.
    var localNameBytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: localName, count: cLength(localName)) }

    /// The name as written (`prefix:local` or `local`).
    var qualifiedName: [UInt8] {
        var out: [UInt8] = []
        if let prefix { out += UnsafeBufferPointer(start: prefix, count: cLength(prefix)); out.append(UInt8(ascii: ":")) }
        out += localNameBytes
        return out
    }

    /// The namespace declarations of the tag as XML text (` xmlns="…" xmlns:p="…"`), to rebuild it.
    var namespaceDeclarations: [UInt8] {
        var out: [UInt8] = []
        guard let namespaces else { return out }
        for i in 0..<namespaceCount {
            out += Array(" xmlns".utf8)
            if let p = namespaces[2 * i] { out.append(UInt8(ascii: ":")); out += UnsafeBufferPointer(start: p, count: cLength(p)) }
            out += Array("=\"".utf8)
            if let uri = namespaces[2 * i + 1] {
                for b in UnsafeBufferPointer(start: uri, count: cLength(uri)) {
                    switch b {
                    case UInt8(ascii: "&"): out += Array("&amp;".utf8)
                    case UInt8(ascii: "<"): out += Array("&lt;".utf8)
                    case UInt8(ascii: "\""): out += Array("&quot;".utf8)
                    default: out.append(b)
                    }
                }
            }
            out.append(UInt8(ascii: "\""))
        }
        return out
    }

    /// The value of the attribute whose local name is `name`, or nil.
    func attributeValue(named name: [UInt8]) -> String? {
        guard let attributes else { return nil }
        for i in 0..<attributeCount {
            guard let local = attributes[5 * i] else { continue }
            guard cLength(local) == name.count, name.withUnsafeBufferPointer({ memcmp(local, $0.baseAddress!, name.count) == 0 }) else { continue }
            return attributeValue(at: i)
        }
        return nil
    }

    /// The name of the attribute at `i` as written (`prefix:local` or `local`).
    func attributeName(at i: Int) -> String {
        guard let attributes, let local = attributes[5 * i] else { return "" }
        var out: [UInt8] = []
        if let prefix = attributes[5 * i + 1] {
            out += UnsafeBufferPointer(start: prefix, count: cLength(prefix))
            out.append(UInt8(ascii: ":"))
        }
        out += UnsafeBufferPointer(start: local, count: cLength(local))
        return String(decoding: out, as: UTF8.self)
    }

    /// The local name of the attribute at `i`, as bytes.
    func attributeLocalName(at i: Int) -> UnsafeBufferPointer<UInt8> {
        guard let attributes, let local = attributes[5 * i] else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: local, count: cLength(local))
    }

    /// The byte length of the attribute value at `i` (for record-size accounting).
    func attributeValueLength(at i: Int) -> Int {
        guard let attributes, let start = attributes[5 * i + 3], let end = attributes[5 * i + 4] else { return 0 }
        return end - start
    }

    /// The value of the attribute at `i`.
    ///
    /// Without entity substitution libxml2 hands an `&` (from `&amp;` or `&#38;`) in an attribute
    /// value up as the five characters `&#38;`; a literal `&` cannot occur there, so every `&#38;`
    /// is decoded back.
    func attributeValue(at i: Int) -> String {
        guard let attributes, let start = attributes[5 * i + 3], let end = attributes[5 * i + 4] else { return "" }
        let value = UnsafeBufferPointer(start: start, count: end - start)
        guard memchr(start, Int32(UInt8(ascii: "&")), value.count) != nil else {
            return String(decoding: value, as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.count)
        var j = 0
        let entity = Array("&#38;".utf8)
        while j < value.count {
            if value[j] == UInt8(ascii: "&"), j + 5 <= value.count, Array(value[j..<j + 5]) == entity {
                bytes.append(UInt8(ascii: "&"))
                j += 5
            } else {
                bytes.append(value[j])
                j += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
