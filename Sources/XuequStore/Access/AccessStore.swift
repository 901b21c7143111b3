import Foundation
import LibPQ
import XuequCore

/// The people who use Xuequ. Each acts as their own PostgreSQL login role, a member of the group
/// role of their kind (`xuequ_hr`, `xuequ_principal` …); the row-level security policies of
/// migration 0007 read their scope from `app_user`. Adding and revoking users needs a role that may
/// create roles (the database owner set up by `deploy/pg`, or an administrator).
public struct AccessStore {
    let connection: Connection
    let language: Language

    public init(connection: Connection, language: Language) {
        self.connection = connection
        self.language = language
    }

    /// Who the connection acts as, and their scope.
    public struct CurrentUser: Sendable, Equatable {
        public var login: String
        /// nil: not an application user (the database owner or an administrator), who is not
        /// restricted by row-level security.
        public var role: AppRole?
        public var districtID: Int?
        public var districtCode: String?
        public var schoolIDs: [Int]
        public var schoolCodes: [String]
        public var revoked: Bool
    }

    public func currentUser() throws -> CurrentUser {
        let r = try connection.query("""
            SELECT session_user::text, u.role::text, u.district_id, d.code, u.revoked_at IS NOT NULL,
                   coalesce((SELECT array_agg(s.school_id ORDER BY sc.code) FROM app_user_school s JOIN school sc USING (school_id)
                             WHERE s.login = u.login), '{}'),
                   coalesce((SELECT array_agg(sc.code ORDER BY sc.code) FROM app_user_school s JOIN school sc USING (school_id)
                             WHERE s.login = u.login), '{}')
            FROM (SELECT 1) one
            LEFT JOIN app_user u ON u.login = session_user
            LEFT JOIN district d ON d.district_id = u.district_id
            """, name: "current user")
        let row = r[0]
        return CurrentUser(
            login: try row.decode(String.self, at: 0),
            role: try row.decodeIfPresent(String.self, at: 1).flatMap(AppRole.init(rawValue:)),
            districtID: try row.decodeIfPresent(Int.self, at: 2),
            districtCode: try row.decodeIfPresent(String.self, at: 3),
            schoolIDs: try row.decode([Int].self, at: 5),
            schoolCodes: try row.decode([String].self, at: 6),
            revoked: (try row.decodeIfPresent(Bool.self, at: 4)) ?? false)
    }

    /// A new user (or a revoked one given access again).
    public struct NewUser: Sendable {
        public var login: String
        public var role: AppRole
        public var displayName: String
        public var district: String?
        public var cluster: String?
        public var schools: [String]
        public var staffNo: String?
        /// nil: no password (peer authentication on the unix socket, or one set by an administrator).
        public var password: String?

        public init(login: String, role: AppRole, displayName: String, district: String?, cluster: String?,
                    schools: [String], staffNo: String?, password: String?) {
            self.login = login
            self.role = role
            self.displayName = displayName
            self.district = district
            self.cluster = cluster
            self.schools = schools
            self.staffNo = staffNo
            self.password = password
        }
    }

    /// `^[a-z][a-z0-9_]{1,62}$`, the `app_user.login` check.
    static func isValidLogin(_ s: String) -> Bool {
        let b = Array(s.utf8)
        return (2...63).contains(b.count) && (97...122).contains(b[0])
            && b.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }
    }

    /// Creates the login role (unless it exists), makes it a member of its group role, sets the
    /// password's verifier, and records the user with their scope — in one transaction.
    public func add(_ user: NewUser) throws {
        let lang = language
        func fail(_ zh: String, _ en: String) -> StoreError { .configuration(lang.pick(zh, en)) }
        guard Self.isValidLogin(user.login) else {
            throw fail("登录名“\(user.login)”无效：须以小写字母开头，只含小写字母、数字和下划线，2–63 个字符",
                       "login \"\(user.login)\" is invalid: a lowercase letter, then lowercase letters, digits or _, 2–63 characters")
        }
        switch user.role {
        case .principal where user.schools.isEmpty:
            throw fail("校长须用 --school 指定所在学校（一长执两校可指定两个）", "a principal needs --school (two for 一长执两校)")
        case .clusterOffice where user.cluster == nil:
            throw fail("学区管理中心用户须用 --cluster 指定学区", "a 学区 office user needs --cluster")
        case .hr, .clusterOffice, .principal:
            if user.district == nil && user.cluster == nil && user.schools.isEmpty {
                throw fail("须用 --district 指定区", "--district is required for this role")
            }
        default: break
        }
        if user.role != .principal && !user.schools.isEmpty {
            throw fail("只有校长用户有学校范围（--school）", "only principals have schools (--school)")
        }
        try connection.transaction { conn in
            let existing = try conn.query("SELECT rolsuper OR rolcreaterole OR rolbypassrls FROM pg_roles WHERE rolname = $1",
                                          [user.login], name: "user role exists")
            if existing.count > 0, try existing[0].decode(Bool.self, at: 0) {
                throw fail("数据库角色 \(user.login) 是管理员角色，不能作为应用用户",
                           "database role \(user.login) is an administrator role and cannot be an application user")
            }
            // the district: given, or the cluster's, or the schools'
            let district = try conn.query("""
                SELECT coalesce((SELECT district_id FROM district WHERE code = $1),
                                (SELECT district_id FROM cluster WHERE code = $2),
                                (SELECT min(district_id) FROM school WHERE code = ANY ($3::text[]))),
                       (SELECT count(DISTINCT district_id) FROM school WHERE code = ANY ($3::text[])),
                       (SELECT array_agg(c) FROM unnest($3::text[]) c WHERE NOT EXISTS (SELECT 1 FROM school s WHERE s.code = c)),
                       (SELECT cluster_id FROM cluster WHERE code = $2),
                       (SELECT staff_id FROM staff WHERE staff_no = $4)
                """, [user.district, user.cluster, user.schools, user.staffNo], name: "user scope")
            let row = district[0]
            if let unknown = try row.decodeIfPresent([String].self, at: 2), !unknown.isEmpty {
                throw fail("没有这些学校代码：\(unknown.joined(separator: "、"))", "no school with code(s) \(unknown.joined(separator: ", "))")
            }
            if let d = user.district, try row.decodeIfPresent(Int.self, at: 0) == nil {
                throw fail("没有区代码 \(d)", "no district with code \(d)")
            }
            if let c = user.cluster, try row.decodeIfPresent(Int.self, at: 3) == nil {
                throw fail("没有学区代码 \(c)", "no 学区 with code \(c)")
            }
            if let s = user.staffNo, try row.decodeIfPresent(Int64.self, at: 4) == nil {
                throw fail("没有工号 \(s)", "no staff number \(s)")
            }
            if try row.decode(Int.self, at: 1) > 1 {
                throw fail("一个校长的学校须在同一个区", "a principal's schools must be in one district")
            }
            let districtID: Int? = [.auditor, .batch].contains(user.role) && user.district == nil ? nil : try row.decodeIfPresent(Int.self, at: 0)
            let ident = conn.escapeIdentifier(user.login)
            if existing.count == 0 {
                try conn.execute("CREATE ROLE \(ident) LOGIN", name: "create login role")
            } else {
                try conn.execute("ALTER ROLE \(ident) LOGIN", name: "enable login role")
            }
            // one kind per user: leave any other group first
            for other in AppRole.allCases where other != user.role {
                if try conn.query("SELECT pg_has_role($1, $2, 'MEMBER')", [user.login, other.groupRole], name: "membership").scalar(Bool.self) {
                    try conn.execute("REVOKE \(conn.escapeIdentifier(other.groupRole)) FROM \(ident)", name: "leave group role")
                }
            }
            try conn.execute("GRANT \(conn.escapeIdentifier(user.role.groupRole)) TO \(ident)", name: "join group role")
            if let password = user.password {
                let verifier = try conn.encryptPassword(password, user: user.login)
                try conn.execute("ALTER ROLE \(ident) PASSWORD \(try conn.escapeLiteral(verifier))", name: "set password")
            }
            try conn.query("""
                INSERT INTO app_user (login, role, display_name, district_id, cluster_id, staff_id)
                VALUES ($1, $2::app_role, $3, $4, $5, $6)
                ON CONFLICT (login) DO UPDATE SET role = EXCLUDED.role, display_name = EXCLUDED.display_name,
                    district_id = EXCLUDED.district_id, cluster_id = EXCLUDED.cluster_id, staff_id = EXCLUDED.staff_id,
                    revoked_at = NULL, revoked_by = NULL
                """, [user.login, user.role.rawValue, user.displayName, districtID,
                      try row.decodeIfPresent(Int.self, at: 3), try row.decodeIfPresent(Int64.self, at: 4)], name: "record user")
            try conn.query("DELETE FROM app_user_school WHERE login = $1 AND school_id NOT IN (SELECT school_id FROM school WHERE code = ANY ($2::text[]))",
                           [user.login, user.schools], name: "user schools (drop)")
            try conn.query("""
                INSERT INTO app_user_school (login, district_id, school_id)
                SELECT $1, s.district_id, s.school_id FROM school s WHERE s.code = ANY ($2::text[])
                ON CONFLICT DO NOTHING
                """, [user.login, user.schools], name: "user schools")
        }
    }

    /// Ends a user's access: no more log-ins, out of the group role, no scope for sessions still open.
    public func revoke(login: String) throws {
        try connection.transaction { conn in
            let r = try conn.query("""
                UPDATE app_user SET revoked_at = now(), revoked_by = session_user WHERE login = $1 AND revoked_at IS NULL
                RETURNING role::text
                """, [login], name: "revoke user")
            guard r.count == 1, let role = AppRole(rawValue: try r[0].decode(String.self, at: 0)) else {
                let known = try conn.query("SELECT 1 FROM app_user WHERE login = $1", [login], name: "user exists").count > 0
                throw StoreError.notFound(known ? language.pick("用户 \(login) 已被撤销", "user \(login) is already revoked")
                                                : language.pick("没有用户 \(login)", "no user \(login)"))
            }
            let ident = conn.escapeIdentifier(login)
            try conn.execute("ALTER ROLE \(ident) NOLOGIN", name: "disable login")
            try conn.execute("REVOKE \(conn.escapeIdentifier(role.groupRole)) FROM \(ident)", name: "leave group role")
        }
    }

    /// Every user with their role and scope.
    public func list(includeRevoked: Bool) throws -> Report {
        try ReportQuery(
            columns: [
                .init("login", "登录名", "login"),
                .init("name", "姓名", "name"),
                .init("role", "角色", "role", ReportQuery.term(AppRole.self)),
                .init("district", "区", "district", null: ("全部", "all")),
                .init("scope", "范围", "scope"),
                .init("staff_no", "工号", "staff no"),
                .init("created", "创建", "created", .date),
                .init("revoked", "撤销", "revoked", .date),
            ],
            sql: """
                SELECT u.login, u.display_name, u.role::text, d.code,
                       coalesce(c.code, (SELECT string_agg(sc.code, ' ' ORDER BY sc.code) FROM app_user_school s JOIN school sc USING (school_id)
                                         WHERE s.login = u.login)),
                       st.staff_no, u.created_at::date::text, u.revoked_at::date::text
                FROM app_user u LEFT JOIN district d USING (district_id) LEFT JOIN cluster c ON c.cluster_id = u.cluster_id
                LEFT JOIN staff st ON st.staff_id = u.staff_id
                WHERE $1 OR u.revoked_at IS NULL
                ORDER BY u.role, u.login
                """
        ).run(on: connection, [includeRevoked], language: language, name: "user list")
    }
}
