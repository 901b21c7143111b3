import Foundation
import LibPQ
import XuequCore

/// The versioned policy documents of each district and school year.
public struct PolicyStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// The policy in force: the newest version for the district and year, or the defaults when
    /// none was imported (then `version` is nil).
    public struct Effective: Sendable {
        public let policy: Policy
        public let version: Int?
        public let createdAt: Date?
        public let createdBy: String?
        public let note: String?
    }

    func districtID(_ code: String) throws -> Int {
        let rows = try connection.query("SELECT district_id FROM district WHERE code = $1", [code], name: "district id")
        guard let row = rows.first else { throw StoreError.notFound("no district with code \(code)") }
        return try row.decode(Int.self, at: 0)
    }

    public func effective(district: String, schoolYear: Int) throws -> Effective {
        try effective(districtID: try districtID(district), schoolYear: schoolYear)
    }

    /// The policy in force for a district known by its id (the batch has ids, not codes).
    func effective(districtID id: Int, schoolYear: Int) throws -> Effective {
        let rows = try connection.query("""
            SELECT version, body::text, created_at, created_by::text, note FROM policy_document
            WHERE district_id = $1 AND school_year = $2 ORDER BY version DESC LIMIT 1
            """, [id, schoolYear], name: "policy effective")
        guard let row = rows.first else {
            return Effective(policy: .defaults, version: nil, createdAt: nil, createdBy: nil, note: nil)
        }
        let policy = try PolicyDocument.decode(Array(try row.decode(String.self, at: 1).utf8))
        return Effective(policy: policy, version: try row.decode(Int.self, at: 0), createdAt: try row.decode(Date.self, at: 2),
                         createdBy: row[3], note: row[4])
    }

    /// Stores the policy as a new version unless it equals a stored version in force (then returns
    /// nil). The first import always stores version 1, even of the defaults: it records that the
    /// district adopted them.
    /// The policy must already be valid (`PolicyDocument.decode` checks it).
    @discardableResult
    public func save(_ policy: Policy, district: String, schoolYear: Int, note: String?) throws -> Int? {
        let problems = policy.problems()
        if !problems.isEmpty { throw PolicyDocument.Failure(problems: problems) }
        return try connection.transaction { conn in
            let id = try districtID(district)
            // one writer per district and year at a time, so versions never collide
            try conn.query("SELECT pg_advisory_xact_lock(hashtext('xuequ.policy'), $1)", [id * 10_000 + schoolYear], name: "policy lock")
            let current = try effective(district: district, schoolYear: schoolYear)
            if current.version != nil && current.policy == policy { return nil }
            let next = (current.version ?? 0) + 1
            try conn.query("""
                INSERT INTO policy_document (district_id, school_year, version, body, note)
                VALUES ($1, $2, $3, $4::jsonb, $5)
                """, [id, schoolYear, next, PolicyDocument.encode(policy), note], name: "policy save")
            return next
        }
    }

    /// Every version for a district and year, newest first.
    public func history(district: String, schoolYear: Int, language: Language) throws -> Report {
        let id = try districtID(district)
        return try ReportQuery(columns: [
            .init("version", "版本", "version", .int), .init("created_at", "时间", "created at"),
            .init("created_by", "操作人", "by"), .init("note", "说明", "note"),
        ], sql: """
            SELECT version, to_char(created_at, 'YYYY-MM-DD HH24:MI'), created_by::text, note FROM policy_document
            WHERE district_id = $1 AND school_year = $2 ORDER BY version DESC
            """).run(on: connection, [id, schoolYear], language: language, name: "policy history")
    }
}
