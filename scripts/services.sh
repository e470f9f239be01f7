#!/usr/bin/env bash
# Makes MariaDB (or MySQL) and Redis answer for the test suite, and openssl available for its TLS certificates.
#
#   1. Uses them where they already answer at the configured addresses.
#   2. Otherwise, on Debian as root: installs mariadb-server / redis-server if missing and starts them without systemd.
#   3. Otherwise stops with a message saying what to install.
# Then makes sure the test account exists (user switchboard / password switchboard, all privileges, so each test run
# can create and drop its own database).
#
# Addresses: SB_TEST_MYSQL_HOST (127.0.0.1), SB_TEST_MYSQL_PORT (3306), SB_TEST_MYSQL_USER (switchboard),
# SB_TEST_MYSQL_PASSWORD (switchboard), SB_TEST_REDIS_HOST (127.0.0.1), SB_TEST_REDIS_PORT (6379).
set -euo pipefail

MYSQL_HOST=${SB_TEST_MYSQL_HOST:-127.0.0.1}
MYSQL_PORT=${SB_TEST_MYSQL_PORT:-3306}
MYSQL_USER=${SB_TEST_MYSQL_USER:-switchboard}
MYSQL_PASSWORD=${SB_TEST_MYSQL_PASSWORD:-switchboard}
REDIS_HOST=${SB_TEST_REDIS_HOST:-127.0.0.1}
REDIS_PORT=${SB_TEST_REDIS_PORT:-6379}
LOG_DIR=${SB_SERVICES_LOG:-/tmp/switchboard-services}

say() { printf 'services: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

answers() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

wait_for() { # host port what
  for _ in $(seq 1 120); do
    answers "$1" "$2" && return 0
    sleep 0.5
  done
  die "$3 did not start listening on $1:$2 within 60 s (logs: $LOG_DIR)"
}

is_local() { [[ "$1" == 127.* || "$1" == localhost ]]; }

can_install() { [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; }

apt_install() {
  say "installing $* from Debian packages"
  if [[ ! -f /tmp/.switchboard-apt-updated ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && touch /tmp/.switchboard-apt-updated
  fi
  # policy-rc.d keeps the packages from trying to start services through systemd, which may not run here.
  local policy=/usr/sbin/policy-rc.d created=""
  if [[ ! -e $policy ]]; then printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy && created=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  [[ -n $created ]] && rm -f $policy
  return 0
}

ensure_redis() {
  answers "$REDIS_HOST" "$REDIS_PORT" && return 0
  is_local "$REDIS_HOST" || die "Redis does not answer at $REDIS_HOST:$REDIS_PORT; start it or set SB_TEST_REDIS_HOST/PORT"
  if ! command -v redis-server >/dev/null; then
    can_install || die "Redis is not running and not installed: install redis-server (Debian: apt-get install redis-server)"
    apt_install redis-server
  fi
  say "starting redis-server on 127.0.0.1:$REDIS_PORT"
  mkdir -p "$LOG_DIR"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
    --logfile "$LOG_DIR/redis.log" --dir "$LOG_DIR"
  wait_for 127.0.0.1 "$REDIS_PORT" Redis
}

ensure_mariadb() {
  answers "$MYSQL_HOST" "$MYSQL_PORT" && return 0
  is_local "$MYSQL_HOST" || die "MySQL/MariaDB does not answer at $MYSQL_HOST:$MYSQL_PORT; start it or set SB_TEST_MYSQL_HOST/PORT"
  if ! command -v mariadbd >/dev/null && ! command -v mysqld >/dev/null; then
    can_install || die "MariaDB is not running and not installed: install mariadb-server (Debian: apt-get install mariadb-server)"
    apt_install mariadb-server
  fi
  local daemon datadir=/var/lib/mysql
  daemon=$(command -v mariadbd || command -v mysqld)
  [[ $(id -u) == 0 ]] || die "MariaDB is installed but not running; start it (as root: $daemon --user=mysql &)"
  mkdir -p "$datadir" /run/mysqld "$LOG_DIR"
  chown mysql:mysql "$datadir" /run/mysqld
  if [[ ! -d $datadir/mysql ]]; then
    say "initialising the MariaDB data directory"
    mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db >"$LOG_DIR/mariadb-install.log" 2>&1
  fi
  say "starting $daemon on 127.0.0.1:$MYSQL_PORT"
  nohup "$daemon" --user=mysql --datadir="$datadir" --bind-address=127.0.0.1 --port="$MYSQL_PORT" \
    --socket=/run/mysqld/mysqld.sock --skip-log-bin >"$LOG_DIR/mariadb.log" 2>&1 &
  wait_for 127.0.0.1 "$MYSQL_PORT" MariaDB
}

mysql_cli() { command -v mariadb || command -v mysql || true; }

ensure_account() {
  local cli
  cli=$(mysql_cli)
  if [[ -z $cli ]]; then
    say "no mysql client found; assuming the account $MYSQL_USER exists"
    return 0
  fi
  if "$cli" -h"$MYSQL_HOST" -P"$MYSQL_PORT" -u"$MYSQL_USER" -p"$MYSQL_PASSWORD" -e 'SELECT 1' >/dev/null 2>&1; then
    return 0
  fi
  local sql="CREATE USER IF NOT EXISTS '$MYSQL_USER'@'localhost' IDENTIFIED BY '$MYSQL_PASSWORD';
CREATE USER IF NOT EXISTS '$MYSQL_USER'@'127.0.0.1' IDENTIFIED BY '$MYSQL_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$MYSQL_USER'@'localhost';
GRANT ALL PRIVILEGES ON *.* TO '$MYSQL_USER'@'127.0.0.1';
FLUSH PRIVILEGES;"
  # Root over TCP with no password (our machines), else root over the local socket (fresh Debian installs).
  if "$cli" -h"$MYSQL_HOST" -P"$MYSQL_PORT" -uroot -e "$sql" >/dev/null 2>&1 || \
     { is_local "$MYSQL_HOST" && "$cli" -uroot -e "$sql" >/dev/null 2>&1; }; then
    say "created the test account $MYSQL_USER"
    return 0
  fi
  die "cannot log in to MariaDB as $MYSQL_USER nor create that account as root; create it (all privileges) or set SB_TEST_MYSQL_USER/PASSWORD"
}

# The TLS tests make their certificates with scripts/dev-certs.sh, which runs openssl.
ensure_openssl() {
  command -v openssl >/dev/null && return 0
  can_install || die "openssl is not installed: install it (Debian: apt-get install openssl)"
  apt_install openssl
}

ensure_redis
ensure_mariadb
ensure_account
ensure_openssl
say "MariaDB at $MYSQL_HOST:$MYSQL_PORT and Redis at $REDIS_HOST:$REDIS_PORT are ready"
