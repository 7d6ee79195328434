import CLibXML2
import ClienteleIO

/// A W3C XML Schema, parsed once and used to validate documents as an ``XMLRecordReader``
/// streams them (libxml2's schema validator plugged into the push parser).
///
/// The schema is read from the file by Clientele itself and parsed from memory; it must be
/// self-contained (an `xs:include` or `xs:import` of another file is refused, like every
/// external entity). Owns its `xmlSchemaPtr`, freed in `deinit`.
///
/// ```swift
/// let schema = try XMLSchema(path: "Schemas/customers.xsd")
/// let reader = try XMLRecordReader(source: source, layout: layout, options: .init(schema: schema))
/// ```
public final class XMLSchema {
    /// Where the schema was read from (for messages).
    public let path: String
    let pointer: xmlSchemaPtr

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
        let parsed: xmlSchemaPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let context = xmlSchemaNewMemParserCtxt(chars.baseAddress, Int32(chars.count)) else { return nil }
                defer { xmlSchemaFreeParserCtxt(context) }
                let box = Unmanaged.passUnretained(messages).toOpaque()
                xmlSchemaSetParserStructuredErrors(context, { userData, error in
                    guard let userData, let error else { return }
                    let messages = Unmanaged<SchemaMessages>.fromOpaque(userData).takeUnretainedValue()
                    messages.append(line: Int(error.pointee.line), text: XMLErrorText.message(of: error))
                }, box)
                return xmlSchemaParse(context)
            }
        }
        guard let parsed else {
            let first = messages.items.first
            throw .malformed(file: path, line: max(1, first?.line ?? 1), byteOffset: 0,
                             detail: "not a usable XML Schema: " + (first?.text ?? "libxml2 could not compile it"))
        }
        pointer = parsed
    }

    deinit { xmlSchemaFree(pointer) }
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
