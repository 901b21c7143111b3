-- Xuequ 0002: the policy store. Every number of the rules (rotation, evaluation, titles, cross-school
-- work) is a versioned document per district and school year. A change is a new version; old
-- versions are kept so that every result can say which rules it was computed under.

CREATE TABLE policy_document (
    district_id integer NOT NULL REFERENCES district,
    school_year smallint NOT NULL CHECK (school_year BETWEEN 1950 AND 2100),
    version     integer NOT NULL CHECK (version >= 1),
    body        jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object'),
    note        text CHECK (length(note) <= 500),
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  name NOT NULL DEFAULT current_user,
    PRIMARY KEY (district_id, school_year, version)
);

CREATE TRIGGER policy_document_no_update_delete BEFORE UPDATE OR DELETE ON policy_document
    FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only('import a new version with xuequ policy import');

SELECT audit_attach('policy_document', ARRAY['district_id', 'school_year', 'version']);
