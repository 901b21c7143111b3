import Foundation
import LibPQ
import Testing
import XuequCore
import XuequStore
import XuequTestSupport

@Suite("Policy store")
struct PolicyStoreTests {
    @Test("defaults until a version is stored; the same document stores nothing; a change is the next version")
    func versions() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        try conn.execute("INSERT INTO district (code, name) VALUES ('110101', '东城区')")
        let store = PolicyStore(connection: conn)
        let initial = try store.effective(district: "110101", schoolYear: 2026)
        #expect(initial.version == nil)
        #expect(initial.policy == .defaults)
        #expect(try store.save(.defaults, district: "110101", schoolYear: 2026, note: "起始") == 1)
        #expect(try store.save(.defaults, district: "110101", schoolYear: 2026, note: nil) == nil)
        var changed = Policy.defaults
        changed.evaluation.excellentShare = Decimal(string: "0.25")!
        #expect(try store.save(changed, district: "110101", schoolYear: 2026, note: "优秀 25%") == 2)
        let now = try store.effective(district: "110101", schoolYear: 2026)
        #expect(now.version == 2)
        #expect(now.policy.evaluation.excellentShare == Decimal(string: "0.25"))
        #expect(now.note == "优秀 25%")
        // other years are independent
        #expect(try store.effective(district: "110101", schoolYear: 2025).version == nil)
        // stored versions are never changed, and every version is in the audit log
        let refused = try #require(throws: PGError.self) { try conn.execute("UPDATE policy_document SET note = 'x'") }
        #expect(refused.message == "policy_document is append-only: UPDATE refused")
        #expect(refused.hint == "import a new version with xuequ policy import")
        #expect(try conn.query("SELECT count(*) FROM audit_log WHERE table_name = 'policy_document'")[0].decode(Int.self, at: 0) == 2)
        #expect(throws: StoreError.self) { try store.effective(district: "999999", schoolYear: 2026) }
    }

    @Test("an invalid policy is not stored")
    func invalidNotStored() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        try conn.execute("INSERT INTO district (code, name) VALUES ('110101', '东城区')")
        var bad = Policy.defaults
        bad.assignments.maxWeeklyPeriods = 0
        #expect(throws: PolicyDocument.Failure.self) {
            try PolicyStore(connection: conn).save(bad, district: "110101", schoolYear: 2026, note: nil)
        }
        #expect(try conn.query("SELECT count(*) FROM policy_document")[0].decode(Int.self, at: 0) == 0)
    }
}
