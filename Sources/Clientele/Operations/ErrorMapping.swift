import ClienteleIO

/// Runs `body`, turning its ``IOError`` into ``ClienteleError/io(_:)``: typed throws do not
/// convert by themselves, and `do`/`catch` inside closures loses the error's type.
@inline(__always)
func mapIO<T>(_ body: () throws(IOError) -> T) throws(ClienteleError) -> T {
    do { return try body() } catch { throw .io(error) }
}
