/// Why a test database could not be provided.
public enum TestPostgresError: Error, CustomStringConvertible {
    /// No conninfo: neither XUEQU_TEST_DATABASE_URL nor var/pgtest/conninfo.
    case notRunning
    /// The template name is too long to leave room for the build suffix.
    case templateNameTooLong(String)

    public var description: String {
        switch self {
        case .notRunning:
            return "test PostgreSQL not running: run deploy/pg with XUEQU_PG_DIR=var/pgtest XUEQU_PG_PORT=54330 up --fast (deploy/test does this)"
        case .templateNameTooLong(let name):
            return "template database name is too long (max 48 bytes): \(name)"
        }
    }
}
