import Foundation
import LibPQ
import Testing
import XuequTestSupport

/// Passwords are never printed or logged, connection strings are redacted in errors, and TLS
/// settings reach libpq unchanged. `deploy/test` also searches the whole test run's output and the
/// test cluster's server log for the canary password used here.
@Suite("Secrets and connection settings")
struct SecretsCLITests {
    /// Assembled at run time, so that no source line printed by a failing expectation contains it.
    static let canary = ["Xq", "canary", "pw", "7f3a9c"].joined(separator: "-")

    @Test("a user's password: read from stdin, stored as a verifier, never echoed; a failing connection never prints it, even with --verbose")
    func passwordNeverShown() throws {
        let db = try MigratedDatabase.create()
        let cli = CLIRunner(database: db.conninfo)
        let c = try db.connect()
        let login = "canary_" + String(UUID().uuidString.prefix(6)).lowercased()
        defer { _ = try? c.execute("DROP ROLE IF EXISTS \(login)") }
        let add = try cli.run(["user", "add", login, "--role", "auditor", "--name", "督导", "--password-stdin", "--verbose"],
                              input: Self.canary + "\n")
        #expect(add.status == 0, "\(add.stderr)")
        #expect(!(add.stdout + add.stderr).contains(Self.canary))
        // the server holds only a SCRAM verifier (the superuser's view of the role)
        if try c.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").scalar(Bool.self) {
            let stored = try c.query("SELECT rolpassword FROM pg_authid WHERE rolname = $1", [login]).scalar(String.self)
            #expect(stored.hasPrefix("SCRAM-SHA-256$") && !stored.contains(Self.canary))
        }
        // the audit log of app_user holds no password either
        #expect(try c.query("SELECT count(*) FROM audit_log WHERE new_row::text LIKE '%' || $1 || '%'", [Self.canary]).scalar(Int.self) == 0)
        // connection strings with the password: refused connections print neither it nor the string
        for conninfo in [
            "host=127.0.0.1 port=1 dbname=x user=\(login) password=\(Self.canary) connect_timeout=2",
            "postgresql://\(login):\(Self.canary)@127.0.0.1:1/x?connect_timeout=2",
            "host=127.0.0.1 port=1 password='\(Self.canary)' user=",       // unterminated: a parse error that quotes its token
            "host=127.0.0.1 port=1 password=\(Self.canary) bogus_option=1",
        ] {
            for verbose in [false, true] {
                let out = try CLIRunner(database: conninfo).run(["district", "list"] + (verbose ? ["--verbose"] : []))
                #expect(out.status == 1, "\(out.stderr)")
                #expect(!(out.stdout + out.stderr).contains(Self.canary), "\(verbose ? "--verbose " : "")leaked the password")
                #expect(out.stderr.hasPrefix("xuequ: "), "\(out.stderr)")
            }
        }
    }

    @Test("sslmode reaches libpq: require against a server without TLS is refused with libpq's reason; disable connects")
    func sslModePassedThrough() throws {
        let db = try MigratedDatabase.create()
        // the test cluster listens on loopback TCP without TLS
        let params = try ConnectionString.parameters(db.conninfo)
        let port = params.first { $0.key == "port" }?.value ?? "54330"
        let name = params.first { $0.key == "dbname" }?.value ?? ""
        let user = params.first { $0.key == "user" }?.value ?? ""
        let tcp = "host=127.0.0.1 port=\(port) dbname=\(name) user=\(user) password=\(Self.canary)"
        let required = try CLIRunner(database: tcp + " sslmode=require").run(["district", "list", "--lang", "en"])
        #expect(required.status == 1)
        #expect(required.stderr.contains("SSL"), "\(required.stderr)")
        #expect(!required.stderr.contains(Self.canary))
        let uri = try CLIRunner(database: "postgresql://\(user)@127.0.0.1:\(port)/\(name)?sslmode=verify-full&sslrootcert=/nonexistent/root.crt")
            .run(["district", "list", "--lang", "en"])
        #expect(uri.status == 1)
        #expect(uri.stderr.contains("root.crt") || uri.stderr.contains("SSL"), "\(uri.stderr)")
        let plain = try CLIRunner(database: tcp + " sslmode=disable").run(["district", "list", "--lang", "en"])
        #expect(plain.status == 0, "\(plain.stderr)")
        let prefer = try CLIRunner(database: tcp + " sslmode=prefer").run(["district", "list", "--lang", "en"])
        #expect(prefer.status == 0, "\(prefer.stderr)")
    }
}
