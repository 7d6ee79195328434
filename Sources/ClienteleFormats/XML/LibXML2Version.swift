import CLibXML2

/// The libxml2 version this build was compiled against (for bug reports and the benchmark notes).
public enum LibXML2Version {
    public static let compiled: String = LIBXML_DOTTED_VERSION
}
