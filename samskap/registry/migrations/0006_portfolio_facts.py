"""PostgreSQL only: one row of portfolio facts per initiative, kept current by the database.

The portfolio counts initiatives by stage, governance logic, sector and partner type. For a
national portfolio (40,000 initiatives) counting from the link tables took 186 ms of SQL
(``benchmarks/portfolio.py``); one narrow row per initiative, with its sector codes and partner
types as arrays, is counted in one pass (``registry.selectors.portfolio_counts``).

For a portfolio without filters, a second table holds the same counts per owning
municipality (kept by a statement trigger on the facts), so a national portfolio adds up 400 small
groups of counts instead of 40,000 rows; an initiative with several owners in the portfolio is
counted once (the few such initiatives are read from the facts and their extra counts taken
off).

The rows are written by the database itself, in the same transaction as every change that
affects them: statement-level triggers with transition tables on the initiatives, their sector
links, their participations, the organisations' types and the sector codes call
``registry_portfolio_refresh(ids)``, which recomputes the rows of the initiatives touched. So no
write path (services, imports, bulk loads, the admin, ``QuerySet.update``) can leave them
behind. A ``TRUNCATE`` of the initiatives empties them too (Django's test flush).

SQLite keeps counting from the link tables (a single installation's portfolio is small), and
the same test compares both ways on PostgreSQL.
"""

from django.db import migrations

CREATE = r"""
CREATE TABLE registry_portfoliofacts (
    initiative_id bigint PRIMARY KEY,
    stage varchar(20) NOT NULL,
    governance_logic varchar(20) NOT NULL,
    sectors varchar(40)[] NOT NULL,
    partner_kinds varchar(40)[] NOT NULL,
    owners bigint[] NOT NULL
);
-- Initiatives with several owners: counted once per owner in the per-municipality counts, so a
-- portfolio of several of their owners subtracts the extra times (few rows, their own index).
CREATE INDEX registry_portfoliofacts_co_owned
    ON registry_portfoliofacts (initiative_id) WHERE cardinality(owners) > 1;

-- Per owning municipality: how many of its initiatives have each stage and governance logic,
-- each sector and each partner type. Kept by statement triggers on the facts.
CREATE TABLE registry_portfoliocounts (
    municipality_id bigint NOT NULL,
    facet varchar(8) NOT NULL,
    code varchar(40) NOT NULL,
    second varchar(40) NOT NULL,
    n bigint NOT NULL,
    PRIMARY KEY (municipality_id, facet, code, second)
);

-- Add (sign 1) or take off (sign -1) the contributions of facts rows: (facet, code, second)
-- once per owner, grouped, so a statement that changes 40,000 rows makes one change per count.
CREATE FUNCTION registry_portfolio_apply(changed registry_portfoliofacts[], sign int)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO registry_portfoliocounts AS c (municipality_id, facet, code, second, n)
    SELECT m, g.facet, g.code, g.second, sign * COUNT(*)
      FROM unnest(changed) r
     CROSS JOIN LATERAL unnest(r.owners) m
     CROSS JOIN LATERAL (
           SELECT 'stage' AS facet, r.stage AS code, r.governance_logic AS second
           UNION ALL SELECT 'sector', s, '' FROM unnest(r.sectors) s
           UNION ALL SELECT 'partner', k, '' FROM unnest(r.partner_kinds) k) g
     GROUP BY m, g.facet, g.code, g.second
    ON CONFLICT (municipality_id, facet, code, second) DO UPDATE SET n = c.n + EXCLUDED.n;
$$;

CREATE FUNCTION registry_portfolio_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM registry_portfolio_apply(ARRAY(SELECT o::registry_portfoliofacts FROM old_rows o), -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM registry_portfolio_apply(ARRAY(SELECT n::registry_portfoliofacts FROM new_rows n), 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER portfolio_counts_facts_insert AFTER INSERT ON registry_portfoliofacts
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_count();
CREATE TRIGGER portfolio_counts_facts_update AFTER UPDATE ON registry_portfoliofacts
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_count();
CREATE TRIGGER portfolio_counts_facts_delete AFTER DELETE ON registry_portfoliofacts
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_count();

CREATE FUNCTION registry_portfolio_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM registry_portfoliofacts f
     WHERE f.initiative_id = ANY (ids)
       AND NOT EXISTS (SELECT 1 FROM registry_initiative i WHERE i.id = f.initiative_id);
    INSERT INTO registry_portfoliofacts (initiative_id, stage, governance_logic, sectors,
                                         partner_kinds, owners)
    SELECT i.id, i.stage, i.governance_logic,
           ARRAY(SELECT DISTINCT s.code
                   FROM registry_initiative_sectors l
                   JOIN registry_sector s ON s.id = l.sector_id
                  WHERE l.initiative_id = i.id),
           ARRAY(SELECT DISTINCT o.kind
                   FROM registry_participation p
                   JOIN accounts_organisation o ON o.id = p.organisation_id
                  WHERE p.initiative_id = i.id),
           ARRAY(SELECT o.municipality_id FROM registry_initiative_owners o
                  WHERE o.initiative_id = i.id ORDER BY o.municipality_id)
      FROM registry_initiative i
     WHERE i.id = ANY (ids)
    ON CONFLICT (initiative_id) DO UPDATE
       SET stage = EXCLUDED.stage,
           governance_logic = EXCLUDED.governance_logic,
           sectors = EXCLUDED.sectors,
           partner_kinds = EXCLUDED.partner_kinds,
           owners = EXCLUDED.owners;
$$;

-- Rows that carry an initiative_id (sector links, participations).
CREATE FUNCTION registry_portfolio_linked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM registry_portfolio_refresh(ARRAY(SELECT DISTINCT initiative_id FROM new_rows));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM registry_portfolio_refresh(ARRAY(SELECT DISTINCT initiative_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION registry_portfolio_initiatives() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM registry_portfolio_refresh(ARRAY(SELECT id FROM new_rows));
    ELSE
        DELETE FROM registry_portfoliofacts WHERE initiative_id IN (SELECT id FROM old_rows);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION registry_portfolio_organisations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM registry_portfolio_refresh(ARRAY(
        SELECT DISTINCT p.initiative_id
          FROM registry_participation p
          JOIN new_rows n ON n.id = p.organisation_id
          JOIN old_rows o ON o.id = n.id
         WHERE n.kind IS DISTINCT FROM o.kind));
    RETURN NULL;
END $$;

CREATE FUNCTION registry_portfolio_sectors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM registry_portfolio_refresh(ARRAY(
        SELECT DISTINCT l.initiative_id
          FROM registry_initiative_sectors l
          JOIN new_rows n ON n.id = l.sector_id
          JOIN old_rows o ON o.id = n.id
         WHERE n.code IS DISTINCT FROM o.code));
    RETURN NULL;
END $$;

CREATE FUNCTION registry_portfolio_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE registry_portfoliofacts, registry_portfoliocounts;
    RETURN NULL;
END $$;

CREATE TRIGGER portfolio_facts_initiative_insert AFTER INSERT ON registry_initiative
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_initiatives();
CREATE TRIGGER portfolio_facts_initiative_update AFTER UPDATE ON registry_initiative
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_initiatives();
CREATE TRIGGER portfolio_facts_initiative_delete AFTER DELETE ON registry_initiative
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_initiatives();
CREATE TRIGGER portfolio_facts_initiative_truncate AFTER TRUNCATE ON registry_initiative
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_truncate();

CREATE TRIGGER portfolio_facts_sector_link_insert AFTER INSERT ON registry_initiative_sectors
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_linked();
CREATE TRIGGER portfolio_facts_sector_link_update AFTER UPDATE ON registry_initiative_sectors
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_linked();
CREATE TRIGGER portfolio_facts_sector_link_delete AFTER DELETE ON registry_initiative_sectors
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_linked();

CREATE TRIGGER portfolio_facts_owner_insert AFTER INSERT ON registry_initiative_owners
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_linked();
CREATE TRIGGER portfolio_facts_owner_update AFTER UPDATE ON registry_initiative_owners
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_linked();
CREATE TRIGGER portfolio_facts_owner_delete AFTER DELETE ON registry_initiative_owners
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_linked();

CREATE TRIGGER portfolio_facts_participation_insert AFTER INSERT ON registry_participation
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_linked();
CREATE TRIGGER portfolio_facts_participation_update AFTER UPDATE ON registry_participation
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_linked();
CREATE TRIGGER portfolio_facts_participation_delete AFTER DELETE ON registry_participation
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_linked();

CREATE TRIGGER portfolio_facts_organisation_kind AFTER UPDATE ON accounts_organisation
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_organisations();
CREATE TRIGGER portfolio_facts_sector_code AFTER UPDATE ON registry_sector
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_portfolio_sectors();

SELECT registry_portfolio_refresh(ARRAY(SELECT id FROM registry_initiative));
"""

DROP = r"""
DROP TRIGGER IF EXISTS portfolio_facts_initiative_insert ON registry_initiative;
DROP TRIGGER IF EXISTS portfolio_facts_initiative_update ON registry_initiative;
DROP TRIGGER IF EXISTS portfolio_facts_initiative_delete ON registry_initiative;
DROP TRIGGER IF EXISTS portfolio_facts_initiative_truncate ON registry_initiative;
DROP TRIGGER IF EXISTS portfolio_facts_sector_link_insert ON registry_initiative_sectors;
DROP TRIGGER IF EXISTS portfolio_facts_sector_link_update ON registry_initiative_sectors;
DROP TRIGGER IF EXISTS portfolio_facts_sector_link_delete ON registry_initiative_sectors;
DROP TRIGGER IF EXISTS portfolio_facts_owner_insert ON registry_initiative_owners;
DROP TRIGGER IF EXISTS portfolio_facts_owner_update ON registry_initiative_owners;
DROP TRIGGER IF EXISTS portfolio_facts_owner_delete ON registry_initiative_owners;
DROP TRIGGER IF EXISTS portfolio_facts_participation_insert ON registry_participation;
DROP TRIGGER IF EXISTS portfolio_facts_participation_update ON registry_participation;
DROP TRIGGER IF EXISTS portfolio_facts_participation_delete ON registry_participation;
DROP TRIGGER IF EXISTS portfolio_facts_organisation_kind ON accounts_organisation;
DROP TRIGGER IF EXISTS portfolio_facts_sector_code ON registry_sector;
DROP FUNCTION IF EXISTS registry_portfolio_linked();
DROP FUNCTION IF EXISTS registry_portfolio_initiatives();
DROP FUNCTION IF EXISTS registry_portfolio_organisations();
DROP FUNCTION IF EXISTS registry_portfolio_sectors();
DROP FUNCTION IF EXISTS registry_portfolio_truncate();
DROP FUNCTION IF EXISTS registry_portfolio_refresh(bigint[]);
DROP TRIGGER IF EXISTS portfolio_counts_facts_insert ON registry_portfoliofacts;
DROP TRIGGER IF EXISTS portfolio_counts_facts_update ON registry_portfoliofacts;
DROP TRIGGER IF EXISTS portfolio_counts_facts_delete ON registry_portfoliofacts;
DROP FUNCTION IF EXISTS registry_portfolio_count();
DROP FUNCTION IF EXISTS registry_portfolio_apply(registry_portfoliofacts[], int);
DROP TABLE IF EXISTS registry_portfoliocounts;
DROP TABLE IF EXISTS registry_portfoliofacts;
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_stemmed_search"),
        ("accounts", "0003_municipality_logo"),
    ]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
