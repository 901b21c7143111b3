import Foundation
import LibPQ
import XuequCore
import XuequStore
import XuequTestSupport

/// Small hand-written import files and helpers shared by the store tests.
enum Fixtures {
    static let districts = "code,name\n110101,东城区\n"
    static let clusters = "学区代码,区代码,学区名称\nDC-HPL,110101,和平里\nDC-ADD,110101,安定东\n"
    static let schools = """
        code,district_code,cluster_code,name,stage,tier,rural,lat,lon
        S001,110101,DC-HPL,和平里第一小学,小学,1,否,39.958000,116.418000
        S002,110101,DC-ADD,安定门中学,初中,3,否,39.948000,116.409000
        S003,110101,,东城区第九十中学,完全中学,2,false,39.930000,116.420000

        """
    static let staffHeader = "staff_no,name,gender,birth_date,first_employed_on,education,home_school_code,home_since,primary_subject,qualified_subjects,stage_certs,title,title_since,key_level,key_since,status,status_since,retirement_on,homeroom_years\n"
    static let staffRows = [
        "T0001,张三,男,1975-03-01,1997-09-01,本科,S001,1997-09-01,数学,科学,小学,高级,2012-12-01,区级骨干,2015-09-01,在岗,1997-09-01,2035-03-01,12",
        "T0002,李四,女,1988-11-20,2011-09-01,硕士,S002,2015-09-01,语文,历史;道德与法治,初中;高中,一级,2016-12-01,,,在岗,2011-09-01,2043-11-20,5",
        "T0003,王五,女,1992-02-29,2015-09-01,bachelor,S003,2015-09-01,english,,junior;senior,second,2016-09-01,,,maternity,2026-03-01,2047-02-28,",
    ]
    static var staff: String { staffHeader + staffRows.joined(separator: "\n") + "\n" }

    /// Writes files into a fresh temporary folder and returns (kind, path) pairs in load order.
    static func write(_ files: [(ImportKind, String)], encoding: TextEncoding = .utf8) throws -> [(kind: ImportKind, path: String)] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xuequ-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try files.map { kind, text in
            let url = dir.appendingPathComponent(kind.fileName)
            try Data(TextDecoding.encode(text, as: encoding)).write(to: url)
            return (kind, url.path)
        }
    }

    static var organisation: [(ImportKind, String)] {
        [(.districts, districts), (.clusters, clusters), (.schools, schools)]
    }

    /// A fingerprint of every table's contents (and the audit log's length), to prove a refused
    /// import left the database exactly as it was.
    static func fingerprint(_ conn: Connection) throws -> String {
        let tables = try conn.query("""
            SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1
            """).map { try $0.decode(String.self, at: 0) }
        var parts: [String] = []
        for table in tables {
            let id = conn.escapeIdentifier(table)
            let row = try conn.query("SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \(id) t")[0]
            parts.append("\(table)=\(row[0] ?? ""):\(row[1] ?? "")")
        }
        return parts.joined(separator: ";")
    }

    static func count(_ conn: Connection, _ sql: String, _ params: [(any PostgresEncodable)?] = []) throws -> Int {
        try conn.query(sql, params)[0].decode(Int.self, at: 0)
    }

    /// Approves each assignment from its own connection on its own thread, all at once; `meanwhile`
    /// runs while they are under way. Returns, sorted, "won" or the refusal's rules (comma-joined)
    /// for each.
    static func approveConcurrently(_ ids: [Int64], conninfo: String, meanwhile: () throws -> Void = {}) throws -> [String] {
        let outcomes = Locked<[String]>([])
        let group = DispatchGroup()
        for id in ids {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    let own = try Connection(conninfo: conninfo)
                    try AssignmentStore(connection: own, language: .zh).transition(id, to: .approved, reason: nil)
                    outcomes.withLock { $0.append("won") }
                } catch let refusal as RuleRefusal {
                    outcomes.withLock { $0.append(refusal.problems.map(\.rule).joined(separator: ",")) }
                } catch {
                    outcomes.withLock { $0.append("error: \(error)") }
                }
            }.start()
        }
        try meanwhile()
        group.wait()
        return outcomes.withLock { $0 }.sorted()
    }
}
