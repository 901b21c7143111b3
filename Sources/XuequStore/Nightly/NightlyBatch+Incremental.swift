import Foundation
import LibPQ
import XuequCore

/// The incremental run: the notes the triggers of migration 0009 wrote since the last run say
/// which teachers, schools and districts changed; a period whose published results are of an
/// earlier or the same date recomputes only the assessment units those changes touch — every
/// teacher of those units, since the 优秀 quota and the pay are shared within a unit — and keeps
/// the other units' published results. The result is the same as a full run's (tested).
extension NightlyBatch {
    /// Every teacher's status and home-school spells: a teacher whose spell starts or ends between
    /// two dates may be assessed differently on the later one (scores and titles alike).
    static let datedSpells = """
        (SELECT staff_id, district_id, valid FROM staff_status UNION ALL SELECT staff_id, district_id, valid FROM staff_home_school)
        """

    /// A run recomputes everything when more than this share of a district's teachers changed.
    static let incrementalShare = 0.3
    /// … or when the units they touch hold more than this share of its teachers.
    static let touchedShare = 0.6

    /// The change notes of the run's districts, consumed: deleted in the run's transaction, so
    /// a failed run leaves them for the next, and a note written after the snapshot waits too.
    struct Changes {
        var whole: Set<Int> = []
        var staff: [Int: Set<Int64>] = [:]
        var schools: [Int: Set<Int>] = [:]
        var notes = 0
    }

    func consumeChanges(districts: [Int], on conn: Connection) throws -> Changes {
        var changes = Changes()
        let rows = try conn.query("""
            WITH d AS (DELETE FROM nightly_change WHERE district_id = ANY ($1::integer[])
                       RETURNING district_id, staff_id, school_id)
            SELECT district_id, staff_id, school_id, count(*) FROM d GROUP BY district_id, staff_id, school_id
            """, [districts], name: "consume changes")
        for row in rows {
            let district = try row.decode(Int.self, at: 0)
            changes.notes += try row.decode(Int.self, at: 3)
            if let staff = try row.decode(Int64?.self, at: 1) {
                changes.staff[district, default: []].insert(staff)
            } else if let school = try row.decode(Int?.self, at: 2) {
                changes.schools[district, default: []].insert(school)
            } else {
                changes.whole.insert(district)
            }
        }
        return changes
    }

    /// The inputs read, and for each period recomputed incrementally the units it recomputes
    /// (empty: nothing changed); a period not in `units` is recomputed in full.
    struct ScopedInputs {
        var inputs: Inputs
        var units: [Int: Set<Int>]
    }

    func readScoped(periods: [PeriodRow], asOf: String, rules: [Int: Policy.Evaluation], changes: Changes,
                    districtStaff: [Int: Int], districts: [Int]?, full forceFull: Bool, on conn: Connection) throws -> ScopedInputs {
        // each period's published state: the run that last scored it, its date, whether it has units,
        // and whether that run is the district's last successful one (a run on an earlier date that
        // did not score the period still consumed the district's notes: the period goes in full)
        struct Base { let asOf: String; let hasUnits: Bool; let latest: Bool }
        var base: [Int: Base] = [:]
        for row in try conn.query("""
            SELECT x.period_id, r.as_of::text, EXISTS (SELECT 1 FROM published_unit u WHERE u.period_id = x.period_id),
                   x.run_id = (SELECT max(l.run_id) FROM nightly_run l
                               WHERE l.status IN ('succeeded', 'partial') AND x.district_id = ANY (l.districts))
            FROM published_run x JOIN nightly_run r USING (run_id) WHERE x.period_id = ANY ($1::integer[])
            """, [periods.map(\.id)], name: "published state of periods") {
            base[try row.decode(Int.self, at: 0)] = Base(asOf: try row.decode(String.self, at: 1), hasUnits: try row.decode(Bool.self, at: 2),
                                                         latest: try row.decode(Bool.self, at: 3))
        }
        // the periods that may go incremental (not a released period's last scoring), and the
        // teachers that changed in each
        var changed: [Int: Set<Int64>] = [:]
        var moved: [PeriodRow] = []
        for p in periods where !forceFull && !changes.whole.contains(p.districtID) && !p.released {
            guard let b = base[p.id], b.hasUnits, b.latest, b.asOf <= asOf else { continue }
            changed[p.id] = changes.staff[p.districtID] ?? []
            if min(b.asOf, p.endsOn) < min(asOf, p.endsOn) { moved.append(p) }
        }
        // the date moved: teachers whose status or home school changed between the two dates
        if !moved.isEmpty {
            let rows = try conn.query("""
                SELECT DISTINCT p.period_id, x.staff_id
                FROM unnest($1::integer[], $2::integer[], $3::date[], $4::date[]) AS p (period_id, district_id, lo, hi)
                JOIN \(Self.datedSpells) x ON x.district_id = p.district_id
                WHERE (lower(x.valid) > p.lo AND lower(x.valid) <= p.hi) OR (upper(x.valid) > p.lo AND upper(x.valid) <= p.hi)
                """, [moved.map(\.id), moved.map(\.districtID), moved.map { min(base[$0.id]!.asOf, $0.endsOn) },
                      moved.map { min(asOf, $0.endsOn) }], name: "changed by date")
            for row in rows { changed[try row.decode(Int.self, at: 0)]?.insert(try row.decode(Int64.self, at: 1)) }
        }
        // too many changes: a full recompute reads less than the pieces would
        for p in periods where changed[p.id] != nil {
            if Double(changed[p.id]!.count) > Self.incrementalShare * Double(districtStaff[p.districtID] ?? 0) { changed[p.id] = nil }
        }

        // the units touched: where the changed teachers are published, where they now belong,
        // and the schools whose pool changed
        var units: [Int: Set<Int>] = [:]
        for p in periods where changed[p.id] != nil { units[p.id] = changes.schools[p.districtID] ?? [] }
        let changedPairs = changed.flatMap { p in p.value.map { (p.key, $0) } }
        if !changedPairs.isEmpty {
            // each changed teacher looked up by key in each run that has published units of the period
            var runs: [Int: [Int64]] = [:]
            for row in try conn.query("SELECT DISTINCT period_id, run_id FROM published_unit WHERE period_id = ANY ($1::integer[])",
                                      [Array(changed.keys)], name: "runs of published units") {
                runs[try row.decode(Int.self, at: 0), default: []].append(try row.decode(Int64.self, at: 1))
            }
            let keys = changedPairs.flatMap { pair in (runs[pair.0] ?? []).map { (run: $0, period: pair.0, staff: pair.1) } }
            for row in try conn.query("""
                SELECT t.period_id, t.unit_school_id
                FROM unnest($1::bigint[], $2::integer[], $3::bigint[]) AS k (run_id, period_id, staff_id)
                JOIN score_teacher t ON t.run_id = k.run_id AND t.period_id = k.period_id AND t.staff_id = k.staff_id
                JOIN published_unit u ON u.period_id = t.period_id AND u.unit_school_id = t.unit_school_id AND u.run_id = t.run_id
                """, [keys.map(\.run), keys.map(\.period), keys.map(\.staff)], name: "published units of changed teachers") {
                units[try row.decode(Int.self, at: 0)]?.insert(try row.decode(Int.self, at: 1))
            }
            let now = try readInputs(periods: periods.filter { !(changed[$0.id]?.isEmpty ?? true) }, asOf: asOf, rules: rules,
                                     scope: changed.filter { !$0.value.isEmpty }, on: conn)
            for (period, teachers) in now.teachers {
                guard let r = rules[period] else { continue }
                units[period]?.formUnion(Scoring.units(of: teachers, rules: r).values)
            }
        }

        // every teacher published in a touched unit, with the changed ones: the units' members now
        // (a teacher who did not change stays in the unit they were published in)
        var scope = changed
        let unitPairs = units.flatMap { p in p.value.map { (p.key, $0) } }
        if !unitPairs.isEmpty {
            for row in try conn.query("""
                SELECT u.period_id, t.staff_id
                FROM unnest($1::integer[], $2::integer[]) AS x (period_id, unit_school_id)
                JOIN published_unit u ON u.period_id = x.period_id AND u.unit_school_id = x.unit_school_id
                JOIN score_teacher t ON t.run_id = u.run_id AND t.period_id = u.period_id AND t.unit_school_id = u.unit_school_id
                """, [unitPairs.map(\.0), unitPairs.map(\.1)], name: "teachers of touched units") {
                scope[try row.decode(Int.self, at: 0)]?.insert(try row.decode(Int64.self, at: 1))
            }
        }
        // most of a district touched: reading it whole is cheaper than in pieces
        for p in periods where scope[p.id] != nil {
            if Double(scope[p.id]!.count) > Self.touchedShare * Double(districtStaff[p.districtID] ?? 0) {
                scope[p.id] = nil
                units[p.id] = nil
            }
        }
        // read the full periods, and the touched units of the others
        let reading = periods.filter { units[$0.id].map { !$0.isEmpty } ?? true }
        var inputs = try readInputs(periods: reading, asOf: asOf, rules: rules,
                                    scope: scope.filter { units[$0.key].map { !$0.isEmpty } ?? false }, districts: districts, on: conn)
        // every teacher read belongs to a touched unit, or the period is read again in full
        var redo: [PeriodRow] = []
        for p in reading {
            guard let touched = units[p.id], let r = rules[p.id] else { continue }
            let outside = Scoring.units(of: inputs.teachers[p.id] ?? [], rules: r).values.filter { !touched.contains($0) }
            if !outside.isEmpty {
                logger.warning("incremental scope left out units; period read in full",
                               metadata: ["period": "\(p.id)", "units": "\(Set(outside).sorted())"])
                redo.append(p)
            }
        }
        if !redo.isEmpty {
            let again = try readInputs(periods: redo, asOf: asOf, rules: rules, districts: districts, on: conn)
            for p in redo {
                inputs.teachers[p.id] = again.teachers[p.id]
                inputs.pools[p.id] = again.pools[p.id]
                units[p.id] = nil
            }
        }
        return ScopedInputs(inputs: inputs, units: units)
    }

    /// The teachers of each district whose title results may differ between the district's last
    /// title date (`since`) and `asOf` within the same school year, though none of their records
    /// changed: a status or home-school spell that starts or ends, a title, first employment, ethics
    /// record or training dated in between, training leaving its window, a date a rule is met on (or
    /// the projected date) reached, an anniversary of the start of a rule not met on years, an ethics
    /// look-back that moves, experience still accruing (it counts the days before the date, so the
    /// days from `since` on). A superset: it may name a teacher whose result
    /// stays the same, never miss one whose result changes (the incremental test compares).
    func titleChangedByDate(_ districts: [(district: Int, since: String)], windows: [Int: Int], asOf: String,
                            on conn: Connection) throws -> [Int: Set<Int64>] {
        var out: [Int: Set<Int64>] = [:]
        for row in try conn.query("""
            WITH d AS (
                SELECT * FROM unnest($1::integer[], $2::date[], $3::integer[]) AS d (district_id, since, window_years)
            ), published AS (
                SELECT r.* FROM d CROSS JOIN LATERAL title_published_results(d.district_id) r
            )
            SELECT x.district_id, x.staff_id FROM d
            JOIN \(Self.datedSpells) x USING (district_id)
            WHERE (lower(x.valid) > d.since AND lower(x.valid) <= $4::date) OR (upper(x.valid) > d.since AND upper(x.valid) <= $4::date)
            UNION
            SELECT t.district_id, t.staff_id FROM d JOIN staff_title t USING (district_id)
            WHERE t.obtained_on > d.since AND t.obtained_on <= $4::date
            UNION
            SELECT s.district_id, s.staff_id FROM d JOIN staff s USING (district_id)
            WHERE s.first_employed_on > d.since AND s.first_employed_on <= $4::date
            UNION
            SELECT e.district_id, e.staff_id FROM d JOIN staff_ethics_record e USING (district_id)
            WHERE e.occurred_on > d.since AND e.occurred_on <= $4::date
            UNION
            SELECT x.district_id, x.staff_id FROM d JOIN staff_training x USING (district_id)
            WHERE (x.taken_on > d.since AND x.taken_on <= $4::date)
               OR (x.taken_on + make_interval(years => d.window_years) BETWEEN d.since - 1 AND $4::date + 1)
            UNION
            SELECT r.district_id, r.staff_id FROM published r WHERE r.projected_on <= $4::date
            UNION
            SELECT r.district_id, r.staff_id
            FROM d JOIN published r USING (district_id) JOIN staff st ON st.staff_id = r.staff_id
            JOIN title_rule x ON x.run_id = r.run_id AND x.staff_id = r.staff_id
            WHERE x.pass_on <= $4::date
               OR x.rule = 'ethics'
               OR (x.rule = 'years'
                   AND extract(year FROM age($4::date + 1, coalesce(r.current_since, st.first_employed_on)))
                       <> extract(year FROM age(d.since - 1, coalesce(r.current_since, st.first_employed_on))))
               OR (x.rule = 'experience'
                   AND (EXISTS (SELECT 1 FROM assignment a WHERE a.staff_id = r.staff_id AND a.status IN ('approved', 'active', 'ended')
                                                           AND a.valid && daterange(d.since, $4::date, '[]'))
                        OR EXISTS (SELECT 1 FROM staff_home_school h JOIN school sc USING (school_id)
                                   WHERE h.staff_id = r.staff_id AND (sc.rural OR sc.tier = 3)
                                     AND h.valid && daterange(d.since, $4::date, '[]'))))
            """, [districts.map(\.district), districts.map(\.since), districts.map { windows[$0.district] ?? 5 }, asOf],
            name: "title results changed by the date") {
            out[try row.decode(Int.self, at: 0), default: []].insert(try row.decode(Int64.self, at: 1))
        }
        return out
    }
}
