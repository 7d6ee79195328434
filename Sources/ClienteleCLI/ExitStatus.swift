import ArgumentParser
import Clientele

#if canImport(Glibc)
import Glibc
#endif

/// The one place where failures become exit codes (SPEC §4): the message is printed once, then
/// the code is returned to the shell. Usage errors are ArgumentParser's (64).
enum ExitStatus {
    static func fail(_ error: Error) -> Error {
        if let error = error as? ClienteleError {
            printError("clientele: error: \(error)")
            if case .usage = error { return ExitCode(64) }
            return ExitCode(error.exitCode)
        }
        if error is ExitCode || error is ValidationError { return error }
        printError("clientele: error: \(error)")
        return ExitCode(70)
    }
}

/// Writes one line to standard error.
func printError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
