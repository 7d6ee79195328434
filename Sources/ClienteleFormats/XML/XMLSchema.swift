import CLibXML2
import ClienteleIO

/// A W3C XML Schema, parsed once and used to validate documents as an ``XMLRecordReader``
/// streams them (libxml2's schema validator plugged into the push parser).
///
/// The schema is read from the file by Clientele itself and parsed from memory; it must be
/// self-contained (an `xs:include` or `xs:import` of another file is refused, like every
/// external entity). Owns its `xmlSchemaPtr` and the schema document, freed in `deinit`.
///
/// ```swift
/// let schema = try XMLSchema(path: "Schemas/customers.xsd")
/// let reader = try XMLRecordReader(source: source, layout: layout, options: .init(schema: schema))
/// ```
public final class XMLSchema {
    /// Where the schema was read from (for messages).
    public let path: String
    let pointer: xmlSchemaPtr
    /// The schema document; the compiled schema may point into it, so it lives as long.
    private let document: xmlDocPtr?

    /// Reads and compiles the schema at `path`.
    ///
    /// - Throws: ``FormatError/io(_:)`` when the file cannot be read;
    ///   ``FormatError/malformed(file:line:byteOffset:detail:)`` when it is not a usable schema.
    public init(path: String) throws(FormatError) {
        _ = LibXML2Setup.done
        self.path = path
        var bytes: [UInt8] = []
        do {
            let file = try FileByteSource(path: path)
            var buffer = [UInt8](repeating: 0, count: 64 << 10)
            while true {
                let n = try file.read(into: &buffer)
                if n == 0 { break }
                bytes += buffer[0..<n]
                if bytes.count > 64 << 20 {
                    throw FormatError.malformed(file: path, line: 1, byteOffset: 0, detail: "a schema larger than 64 MiB is not accepted")
                }
            }
        } catch let error as IOError {
            throw .io(error)
        } catch let error as FormatError {
            throw error
        } catch {
            throw .malformed(file: path, line: 1, byteOffset: 0, detail: "\(error)")
        }
        let messages = SchemaMessages()
        let box = Unmanaged.passUnretained(messages).toOpaque()
        let collect: xmlStructuredErrorFunc = { userData, error in
            guard let error else { return }
            // Errors of the document parse carry its context, whose _private is the collector.
            var target = userData
            if let raw = error.pointee.ctxt, error.pointee.domain == Int32(XML_FROM_PARSER.rawValue) {
                target = raw.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private
            }
            guard let target else { return }
            Unmanaged<SchemaMessages>.fromOpaque(target).takeUnretainedValue()
                .append(line: Int(error.pointee.line), text: XMLErrorText.message(of: error))
        }
        // Parse the schema document ourselves, so its errors come here and not to stderr.
        var document: xmlDocPtr?
        if let context = xmlNewParserCtxt() {
            context.pointee._private = box
            context.pointee.sax.pointee.serror = collect
            document = bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    path.withCString { xmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), $0, nil, Int32(XML_PARSE_NONET.rawValue)) }
                }
            }
            xmlFreeParserCtxt(context)
        }
        var parsed: xmlSchemaPtr?
        if let document, let context = xmlSchemaNewDocParserCtxt(document) {
            xmlSchemaSetParserStructuredErrors(context, collect, box)
            parsed = xmlSchemaParse(context)
            xmlSchemaFreeParserCtxt(context)
        }
        guard let parsed else {
            if let document { xmlFreeDoc(document) }
            let first = messages.items.first
            throw .malformed(file: path, line: max(1, first?.line ?? 1), byteOffset: 0,
                             detail: "not a usable XML Schema: " + (first?.text ?? "libxml2 could not compile it"))
        }
        pointer = parsed
        self.document = document
    }

    deinit {
        xmlSchemaFree(pointer)
        if let document { xmlFreeDoc(document) }
    }
}

/// Messages collected while a schema compiles.
private final class SchemaMessages {
    var items: [(line: Int, text: String)] = []
    func append(line: Int, text: String) {
        if items.count < 16 { items.append((line, text)) }
    }
}

/// Text of a libxml2 error, without its trailing newline.
enum XMLErrorText {
    static func message(of error: UnsafePointer<xmlError>) -> String {
        guard let c = error.pointee.message else { return "error \(error.pointee.code)" }
        var text = String(cString: c)
        while let last = text.last, last == "\n" || last == " " { text.removeLast() }
        return text.replacing("\n", with: "; ")
    }
}
