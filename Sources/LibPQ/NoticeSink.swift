import CLibPQ
import Logging

/// Receives server notices (via `PQsetNoticeReceiver`) and forwards them to a `Logger`.
/// Owned by its `Connection`, which outlives the libpq connection that points at it.
final class NoticeSink {
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Installs this sink as `conn`'s notice receiver. `self` must outlive `conn`.
    func install(on conn: OpaquePointer) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = PQsetNoticeReceiver(conn, { arg, result in
            guard let arg, let result else { return }
            Unmanaged<NoticeSink>.fromOpaque(arg).takeUnretainedValue().receive(result)
        }, context)
    }

    func receive(_ result: OpaquePointer) {
        func field(_ code: Int32) -> String? {
            PQresultErrorField(result, code).map { String(cString: $0) }
        }
        let severity = field(XQ_PG_DIAG_SEVERITY_NONLOCALIZED) ?? field(XQ_PG_DIAG_SEVERITY) ?? "NOTICE"
        let message = field(XQ_PG_DIAG_MESSAGE_PRIMARY)
            ?? String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines()
        var metadata: Logger.Metadata = ["pg.severity": .string(severity)]
        if let v = field(XQ_PG_DIAG_SQLSTATE) { metadata["pg.sqlstate"] = .string(v) }
        if let v = field(XQ_PG_DIAG_MESSAGE_DETAIL) { metadata["pg.detail"] = .string(v) }
        if let v = field(XQ_PG_DIAG_MESSAGE_HINT) { metadata["pg.hint"] = .string(v) }
        if let v = field(XQ_PG_DIAG_CONTEXT) { metadata["pg.context"] = .string(v) }
        let level: Logger.Level
        switch severity {
        case "WARNING": level = .warning
        case "DEBUG": level = .debug
        default: level = .info  // NOTICE, INFO, LOG
        }
        logger.log(level: level, "\(message)", metadata: metadata)
    }
}
