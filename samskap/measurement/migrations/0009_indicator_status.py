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
CREATE INDEX measurement_indicatorstatus_from ON measurement_indicatorstatus (valid_from);
CREATE INDEX measurement_indicatorstatus_until ON measurement_indicatorstatus (valid_until);

CREATE FUNCTION measurement_status_refresh(day date) RETURNS void LANGUAGE sql AS $$
    WITH stale AS (
        SELECT indicator_id, version FROM measurement_indicatorstatus
         WHERE valid_from > day OR valid_until <= day
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
$$;

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
    TRUNCATE measurement_indicatorstatus;
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
DROP TABLE IF EXISTS measurement_indicatorstatus;
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("measurement", "0008_library_translations")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
