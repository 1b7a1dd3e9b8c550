#!/bin/sh
# Creates (if missing) and migrates Temporal's two PostgreSQL databases: the main store and SQL
# visibility. Runs in temporalio/admin-tools as the `temporal-schema` compose job, before the server.
#
# Safe to run on every `docker compose up`:
#   - create-database tolerates an existing database;
#   - setup-schema -v 0.0 only creates the version tables and leaves a newer version alone;
#   - update-schema applies just the versioned migrations newer than the recorded version, so
#     bumping the server/admin-tools image tag migrates the schema before the new server starts.
#
# temporal-sql-tool reads SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and SQL_PASSWORD itself.
# With a managed Postgres whose user may not CREATE DATABASE, create both databases beforehand and
# set TEMPORAL_SKIP_DB_CREATE=true.
set -eu

: "${SQL_PLUGIN:?SQL_PLUGIN is required (postgres12 or postgres12_pgx)}"
: "${SQL_HOST:?SQL_HOST is required}"
: "${SQL_PORT:?SQL_PORT is required}"
: "${SQL_USER:?SQL_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD is required}"

DB_NAME="${TEMPORAL_DB_NAME:-temporal}"
VISIBILITY_DB_NAME="${TEMPORAL_VISIBILITY_DB_NAME:-temporal_visibility}"
SKIP_DB_CREATE="${TEMPORAL_SKIP_DB_CREATE:-false}"
SCHEMA_ROOT="${TEMPORAL_SCHEMA_ROOT:-/etc/temporal/schema/postgresql/v12}"
MAX_ATTEMPTS="${SETUP_MAX_ATTEMPTS:-60}"
SLEEP_SECONDS="${SETUP_SLEEP_SECONDS:-2}"

echo "Waiting for PostgreSQL at ${SQL_HOST}:${SQL_PORT}..."
attempt=1
until nc -z -w 5 "$SQL_HOST" "$SQL_PORT"; do
  if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
    echo "PostgreSQL did not accept connections after ${MAX_ATTEMPTS} attempts" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep "$SLEEP_SECONDS"
done

# setup_database <database name> <schema sub-directory>
setup_database() {
  db="$1"
  schema_dir="${SCHEMA_ROOT}/$2/versioned"
  if [ ! -d "$schema_dir" ]; then
    echo "Schema directory ${schema_dir} not found in this admin-tools image" >&2
    exit 1
  fi
  if [ "$SKIP_DB_CREATE" != "true" ]; then
    echo "Creating database ${db} (no-op if it exists)..."
    temporal-sql-tool --db "$db" create-database
  fi
  echo "Setting up schema versioning in ${db}..."
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  echo "Migrating ${db} with ${schema_dir}..."
  temporal-sql-tool --db "$db" update-schema --schema-dir "$schema_dir"
}

setup_database "$DB_NAME" temporal
setup_database "$VISIBILITY_DB_NAME" visibility

echo "Temporal PostgreSQL schema is up to date (${DB_NAME}, ${VISIBILITY_DB_NAME})."
