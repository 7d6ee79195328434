import CLibXML2

/// Process-wide libxml2 setup, run once before the first parser or schema is made.
///
/// The external entity loader is replaced by one that refuses everything: the readers never
/// load a DTD or an external entity (no `XML_PARSE_DTDLOAD`, no `XML_PARSE_NOENT`, and entity
/// declarations are refused before any use), so this is a second lock on the same door. It also
/// means an `--xsd` schema must be self-contained: `xs:include`/`xs:import` of other files fail.
enum LibXML2Setup {
    static let done: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()
}
