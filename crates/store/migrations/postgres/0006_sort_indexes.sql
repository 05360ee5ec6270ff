-- Lists sort on the city (people and companies) and on the company's name (people), by key
-- like every list: the indexes hold each key with the id, so a page is read in order from
-- where the last one ended, and so do the owner's and the team's, as for names (a sales
-- rep's people are often all in one city: walking everyone's city order to find theirs would
-- read most of the table). The city indexes serve the city filter too, which the plain city
-- indexes served. Kept in step with the other backend's migration of the same version.

DROP INDEX people_city_idx;
DROP INDEX companies_city_idx;
CREATE INDEX people_city_idx ON people (city_key, id) WHERE deleted_at IS NULL;
CREATE INDEX people_owner_city_idx ON people (owner_id, city_key, id) WHERE deleted_at IS NULL;
CREATE INDEX people_team_city_idx ON people (team_id, city_key, id) WHERE deleted_at IS NULL;
CREATE INDEX people_company_key_idx ON people (company_key, id) WHERE deleted_at IS NULL;
CREATE INDEX people_owner_company_key_idx ON people (owner_id, company_key, id) WHERE deleted_at IS NULL;
CREATE INDEX people_team_company_key_idx ON people (team_id, company_key, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_city_idx ON companies (city_key, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_owner_city_idx ON companies (owner_id, city_key, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_team_city_idx ON companies (team_id, city_key, id) WHERE deleted_at IS NULL;
