"""PostgreSQL only: each indicator's status in the portfolio, kept by the database.

The portfolio's measurement panel counts the indicators on and behind target in their latest
started period with a total value, and lists the furthest behind. Summing every value of a
national portfolio (400,000 values) took 1.1 s of SQL (``benchmarks/portfolio.py``). Here one
row per indicator holds that status (the period and its progress), so the panel reads one
narrow row per indicator.

The status depends on the day (a period that starts tomorrow may become the latest), so each
row says for which days it holds: from the start of its latest started period
(``valid_from``) to the start of its next period (``valid_until``). It is recomputed when
read for a day outside that span, and after any change: statement-level triggers on the
indicators, their periods and their values mark the rows they touch as stale (in the same
transaction as the change) and bump ``version``; ``measurement_status_refresh(day)``
recomputes the stale rows and skips a row whose version moved while it was computing (a change
committed meanwhile leaves it stale for the next read, never wrong).

For a portfolio without filters, ``measurement_statuscounts`` holds the counts per owning
municipality (kept by statement triggers on the status rows and on the registry's portfolio facts,
which know each initiative's owners).

SQLite keeps computing from the values (``measurement.queries.portfolio_indicator_status``);
the same tests compare both ways on PostgreSQL.
"""

from django.db import migrations

STALE = "valid_from = 'infinity', valid_until = '-infinity', version = s.version + 1"

CREATE = rf"""
CREATE TABLE measurement_indicatorstatus (
    indicator_id bigint PRIMARY KEY,
    initiative_id bigint NOT NULL,
    period_id bigint NULL,
    progress double precision NULL,
    valid_from date NOT NULL DEFAULT 'infinity',
    valid_until date NOT NULL DEFAULT '-infinity',
    version bigint NOT NULL DEFAULT 0
);
CREATE INDEX measurement_indicatorstatus_initiative
    ON measurement_indicatorstatus (initiative_id) INCLUDE (progress);
CREATE INDEX measurement_indicatorstatus_behind
    ON measurement_indicatorstatus (progress, indicator_id, period_id) WHERE progress < 1;
CREATE INDEX measurement_indicatorstatus_from ON measurement_indicatorstatus (valid_from);
CREATE INDEX measurement_indicatorstatus_until ON measurement_indicatorstatus (valid_until);

-- Per owning municipality: its indicators with a started period, on target and behind. Kept by
-- statement triggers on the status rows and on the portfolio facts (whose ``owners`` say whose an
-- initiative is); an indicator of an initiative with several owners counts once per owner.
CREATE TABLE measurement_statuscounts (
    municipality_id bigint PRIMARY KEY,
    found bigint NOT NULL,
    on_target bigint NOT NULL,
    behind bigint NOT NULL
);

-- Add (sign 1) or take off (sign -1) status rows, once per owner of their initiative, grouped:
-- one change per municipality whatever the number of rows a statement changed.
CREATE FUNCTION measurement_status_apply(changed measurement_indicatorstatus[], sign int)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO measurement_statuscounts AS c (municipality_id, found, on_target, behind)
    SELECT m, sign * COUNT(r.period_id), sign * COUNT(*) FILTER (WHERE r.progress >= 1),
           sign * COUNT(*) FILTER (WHERE r.progress < 1)
      FROM unnest(changed) r
      JOIN registry_portfoliofacts f ON f.initiative_id = r.initiative_id
     CROSS JOIN LATERAL unnest(f.owners) m
     GROUP BY m
    ON CONFLICT (municipality_id) DO UPDATE
       SET found = c.found + EXCLUDED.found,
           on_target = c.on_target + EXCLUDED.on_target,
           behind = c.behind + EXCLUDED.behind;
$$;

CREATE FUNCTION measurement_status_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM measurement_status_apply(
            ARRAY(SELECT o::measurement_indicatorstatus FROM old_rows o), -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM measurement_status_apply(
            ARRAY(SELECT n::measurement_indicatorstatus FROM new_rows n), 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER status_counts_insert AFTER INSERT ON measurement_indicatorstatus
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_count();
CREATE TRIGGER status_counts_update AFTER UPDATE ON measurement_indicatorstatus
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_count();
CREATE TRIGGER status_counts_delete AFTER DELETE ON measurement_indicatorstatus
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_count();

-- An initiative's owners changed: its indicators' counts move from the old owners to the new
-- (the old facts rows' owners take them off, the new ones' add them: unchanged owners net 0).
CREATE FUNCTION measurement_status_move(changed registry_portfoliofacts[], sign int)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO measurement_statuscounts AS c (municipality_id, found, on_target, behind)
    SELECT m, sign * COUNT(s.period_id), sign * COUNT(*) FILTER (WHERE s.progress >= 1),
           sign * COUNT(*) FILTER (WHERE s.progress < 1)
      FROM unnest(changed) r
     CROSS JOIN LATERAL unnest(r.owners) m
      JOIN measurement_indicatorstatus s ON s.initiative_id = r.initiative_id
     GROUP BY m
    ON CONFLICT (municipality_id) DO UPDATE
       SET found = c.found + EXCLUDED.found,
           on_target = c.on_target + EXCLUDED.on_target,
           behind = c.behind + EXCLUDED.behind;
$$;

CREATE FUNCTION measurement_status_owners() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM measurement_status_move(
            ARRAY(SELECT o::registry_portfoliofacts FROM old_rows o), -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM measurement_status_move(
            ARRAY(SELECT n::registry_portfoliofacts FROM new_rows n), 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER status_counts_owners_insert AFTER INSERT ON registry_portfoliofacts
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_owners();
CREATE TRIGGER status_counts_owners_update AFTER UPDATE ON registry_portfoliofacts
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_owners();
CREATE TRIGGER status_counts_owners_delete AFTER DELETE ON registry_portfoliofacts
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_owners();

CREATE FUNCTION measurement_status_refresh(day date) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- Nothing to do (the usual case) is known from the two indexes' ends.
    IF (SELECT MAX(valid_from) FROM measurement_indicatorstatus) <= day
       AND (SELECT MIN(valid_until) FROM measurement_indicatorstatus) > day THEN
        RETURN;
    END IF;
    WITH stale AS (
        SELECT indicator_id, version FROM measurement_indicatorstatus WHERE valid_from > day
        UNION ALL
        SELECT indicator_id, version FROM measurement_indicatorstatus
         WHERE valid_until <= day AND valid_from <= day
    ), totals AS (
        SELECT p.indicator_id, p.id AS period_id, p.start,
               MAX(v.value) FILTER (WHERE v.kind = 'baseline') AS baseline,
               MAX(v.value) FILTER (WHERE v.kind = 'target') AS target,
               MAX(v.value) FILTER (WHERE v.kind = 'actual') AS actual
          FROM measurement_period p
          JOIN measurement_indicatorvalue v ON v.period_id = p.id AND v.dimension = ''
         WHERE p.indicator_id IN (SELECT indicator_id FROM stale) AND p.start <= day
         GROUP BY p.indicator_id, p.id, p.start
    ), latest AS (
        SELECT DISTINCT ON (indicator_id) *
          FROM totals
         ORDER BY indicator_id, start DESC, period_id DESC
    ), span AS (
        SELECT stale.indicator_id, stale.version,
               COALESCE(MAX(p.start) FILTER (WHERE p.start <= day), '-infinity') AS valid_from,
               COALESCE(MIN(p.start) FILTER (WHERE p.start > day), 'infinity') AS valid_until
          FROM stale
          LEFT JOIN measurement_period p ON p.indicator_id = stale.indicator_id
         GROUP BY stale.indicator_id, stale.version
    )
    UPDATE measurement_indicatorstatus s
       SET period_id = latest.period_id,
           progress = CASE
               WHEN latest.baseline IS NULL OR latest.target IS NULL OR latest.actual IS NULL
                    OR latest.target = latest.baseline THEN NULL
               ELSE ((latest.actual - latest.baseline) / (latest.target - latest.baseline))::float8
           END,
           valid_from = span.valid_from,
           valid_until = span.valid_until
      FROM span LEFT JOIN latest ON latest.indicator_id = span.indicator_id
     WHERE s.indicator_id = span.indicator_id AND s.version = span.version;
END $$;

CREATE FUNCTION measurement_status_mark(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    UPDATE measurement_indicatorstatus s SET {STALE} WHERE s.indicator_id = ANY (ids);
$$;

CREATE FUNCTION measurement_status_indicators() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM measurement_indicatorstatus WHERE indicator_id IN (SELECT id FROM old_rows);
    ELSE
        INSERT INTO measurement_indicatorstatus AS s (indicator_id, initiative_id)
        SELECT id, initiative_id FROM new_rows
        ON CONFLICT (indicator_id) DO UPDATE
           SET initiative_id = EXCLUDED.initiative_id, {STALE};
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION measurement_status_periods() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM measurement_status_mark(ARRAY(SELECT DISTINCT indicator_id FROM new_rows));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM measurement_status_mark(ARRAY(SELECT DISTINCT indicator_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION measurement_status_values() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM measurement_status_mark(ARRAY(
            SELECT DISTINCT p.indicator_id FROM measurement_period p
             WHERE p.id IN (SELECT period_id FROM new_rows)));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM measurement_status_mark(ARRAY(
            SELECT DISTINCT p.indicator_id FROM measurement_period p
             WHERE p.id IN (SELECT period_id FROM old_rows)));
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION measurement_status_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE measurement_indicatorstatus, measurement_statuscounts;
    RETURN NULL;
END $$;

CREATE TRIGGER indicator_status_insert AFTER INSERT ON measurement_indicator
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_indicators();
CREATE TRIGGER indicator_status_update AFTER UPDATE ON measurement_indicator
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_indicators();
CREATE TRIGGER indicator_status_delete AFTER DELETE ON measurement_indicator
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_indicators();
CREATE TRIGGER indicator_status_truncate AFTER TRUNCATE ON measurement_indicator
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_truncate();

CREATE TRIGGER indicator_status_period_insert AFTER INSERT ON measurement_period
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_periods();
CREATE TRIGGER indicator_status_period_update AFTER UPDATE ON measurement_period
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_periods();
CREATE TRIGGER indicator_status_period_delete AFTER DELETE ON measurement_period
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_periods();

CREATE TRIGGER indicator_status_value_insert AFTER INSERT ON measurement_indicatorvalue
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_values();
CREATE TRIGGER indicator_status_value_update AFTER UPDATE ON measurement_indicatorvalue
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_values();
CREATE TRIGGER indicator_status_value_delete AFTER DELETE ON measurement_indicatorvalue
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION measurement_status_values();

INSERT INTO measurement_indicatorstatus (indicator_id, initiative_id)
SELECT id, initiative_id FROM measurement_indicator;
"""

DROP = r"""
DROP TRIGGER IF EXISTS indicator_status_insert ON measurement_indicator;
DROP TRIGGER IF EXISTS indicator_status_update ON measurement_indicator;
DROP TRIGGER IF EXISTS indicator_status_delete ON measurement_indicator;
DROP TRIGGER IF EXISTS indicator_status_truncate ON measurement_indicator;
DROP TRIGGER IF EXISTS indicator_status_period_insert ON measurement_period;
DROP TRIGGER IF EXISTS indicator_status_period_update ON measurement_period;
DROP TRIGGER IF EXISTS indicator_status_period_delete ON measurement_period;
DROP TRIGGER IF EXISTS indicator_status_value_insert ON measurement_indicatorvalue;
DROP TRIGGER IF EXISTS indicator_status_value_update ON measurement_indicatorvalue;
DROP TRIGGER IF EXISTS indicator_status_value_delete ON measurement_indicatorvalue;
DROP FUNCTION IF EXISTS measurement_status_indicators();
DROP FUNCTION IF EXISTS measurement_status_periods();
DROP FUNCTION IF EXISTS measurement_status_values();
DROP FUNCTION IF EXISTS measurement_status_truncate();
DROP FUNCTION IF EXISTS measurement_status_mark(bigint[]);
DROP FUNCTION IF EXISTS measurement_status_refresh(date);
DROP TRIGGER IF EXISTS status_counts_owners_insert ON registry_portfoliofacts;
DROP TRIGGER IF EXISTS status_counts_owners_update ON registry_portfoliofacts;
DROP TRIGGER IF EXISTS status_counts_owners_delete ON registry_portfoliofacts;
DROP TRIGGER IF EXISTS status_counts_insert ON measurement_indicatorstatus;
DROP TRIGGER IF EXISTS status_counts_update ON measurement_indicatorstatus;
DROP TRIGGER IF EXISTS status_counts_delete ON measurement_indicatorstatus;
DROP FUNCTION IF EXISTS measurement_status_owners();
DROP FUNCTION IF EXISTS measurement_status_move(registry_portfoliofacts[], int);
DROP FUNCTION IF EXISTS measurement_status_count();
DROP FUNCTION IF EXISTS measurement_status_apply(measurement_indicatorstatus[], int);
DROP TABLE IF EXISTS measurement_statuscounts;
DROP TABLE IF EXISTS measurement_indicatorstatus;
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("measurement", "0009_comparison_and_mid"),
        ("registry", "0006_portfolio_facts"),
    ]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
