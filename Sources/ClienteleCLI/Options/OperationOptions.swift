import ArgumentParser
import Clientele
import Logging

/// Options of unattended operation, shared by import, validate, subject, erase and diff: the log level.
struct OperationOptions: ParsableArguments {
    @Option(name: .customLong("log-level"),
            help: "Log events on standard error from this level up (logs never hold personal values).")
    var logLevel: Logger.Level = .warning

    /// The logger the command's job writes to.
    func logger() -> Logger {
        let level = logLevel
        return Logger(label: "clientele") { StandardErrorLogHandler(label: $0, level: level) }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
