#!/bin/sh
# First start of the `postgres` profile's PostgreSQL 16 (docker-compose.yml mounts this
# file in /docker-entrypoint-initdb.d/, which the image runs once, on an empty data volume).
#
# Every service gets its own database and its own user, owner of that database and of
# nothing else; no other user may connect to it. The names and passwords are read from
# the services' own DATABASE_URL variables (the same .env the services read), so each is
# written once:
#
#   LOYALTY_DATABASE_URL=postgresql+psycopg://loyalty:<password>@postgres:5432/loyalty
#
# A URL that is empty or names another host than this server (a managed PostgreSQL, or
# SQLite) is skipped. Passwords must not need URL encoding: generate them as
# `openssl rand -hex 24`. To add a service later on an existing volume, run the same
# statements by hand (docs/deploy.md).
set -eu

: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_SERVICE_HOST:=postgres}"
: "${SERVICE_DATABASE_VARIABLES:=AUTH_DATABASE_URL LOYALTY_DATABASE_URL NOTIFICATIONS_DATABASE_URL REFERRALS_DATABASE_URL REPORTS_DATABASE_URL}"

for variable in $SERVICE_DATABASE_VARIABLES; do
    url=$(printenv "$variable" || true)
    case "$url" in
        postgresql*://*@"$POSTGRES_SERVICE_HOST":*/* | postgresql*://*@"$POSTGRES_SERVICE_HOST"/*) ;;
        *) echo "init-databases: $variable does not point at $POSTGRES_SERVICE_HOST: skipped"; continue ;;
    esac
    rest=${url#*://}
    credentials=${rest%%@*}
    user=${credentials%%:*}
    password=${credentials#*:}
    database=${rest##*/}
    database=${database%%\?*}
    if [ -z "$user" ] || [ -z "$database" ] || [ "$password" = "$credentials" ] || [ -z "$password" ]; then
        echo "init-databases: $variable needs user, password and database" >&2
        exit 1
    fi
    echo "init-databases: database $database for user $user"
    # psql's :"name" and :'literal' quote the values, so no name or password can break
    # out of the statement.
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
        -v user="$user" -v password="$password" -v database="$database" <<'SQL'
CREATE ROLE :"user" LOGIN PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"user";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL
done
