#!/usr/bin/env bash
# Installs the system packages Sluice builds and tests against, only when some are missing.
#
# Safe to run again and again: when everything is installed it only asks dpkg (well under a second) and exits.
# Works as root (CI) or as a user with sudo. It never starts the PostgreSQL or MariaDB services: the tests and
# the quickstart start their own servers in temporary directories.
set -euo pipefail

PACKAGES=(
    librdkafka-dev              # Kafka client (and its mock cluster: the embedded Kafka)
    libpq-dev                   # PostgreSQL client library
    default-libmysqlclient-dev  # MariaDB Connector/C (pkg-config name: mysqlclient)
    libsqlite3-dev
    libjemalloc-dev             # the sluice binary's memory allocator (see Package.swift)
    libssl-dev                  # OpenSSL: the Elasticsearch sink's https client
    zlib1g-dev                  # gzip input files (SpoolDir)
    pkg-config
    kcat                        # read topics from the command line
    postgresql                  # test server binaries (initdb, pg_ctl, pg_recvlogical)
    mariadb-server              # test server binaries (mariadb-install-db, mariadbd)
    curl                        # the REST API from the shell (and the security tests' client)
    chromium                    # headless browser for the web console test (ConsoleTests)
    openssl                     # the security tests make their certificates
    socat                       # TLS fronts for the test broker and the Elasticsearch https tests
    git                         # SwiftPM fetches dependencies with git
    ca-certificates
)
# Extra packages a caller needs too (scripts/test.sh adds gdb for its hang watchdog's backtraces).
read -r -a extra <<<"${SLUICE_EXTRA_PACKAGES:-}"
PACKAGES+=("${extra[@]}")

say() { printf 'install-deps: %s\n' "$*"; }
die() { printf 'install-deps: error: %s\n' "$*" >&2; exit 1; }

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: this script supports Debian 12 (and derivatives) only."

missing=()
for p in "${PACKAGES[@]}"; do
    installed "$p" || missing+=("$p")
done

if ((${#missing[@]} > 0)); then
    if [[ $(id -u) -eq 0 ]]; then
        SUDO=()
    elif command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        die "missing packages (${missing[*]}) and not root and no sudo: run as root: apt-get install -y ${missing[*]}"
    fi
    say "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive

    # Keep apt from starting the postgresql/mariadb services it installs (Debian's policy-rc.d mechanism).
    # Only when no policy exists yet, and removed again afterwards.
    policy=/usr/sbin/policy-rc.d
    created_policy=0
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\n# temporary, written by sluice scripts/install-deps.sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
        "${SUDO[@]}" chmod 755 "$policy"
        created_policy=1
    fi
    cleanup_policy() {
        if ((created_policy)); then "${SUDO[@]}" rm -f "$policy"; fi
    }
    trap cleanup_policy EXIT

    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q \
        || die "apt-get update failed (network or apt sources?)"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" </dev/null \
        || die "apt-get install failed for: ${missing[*]}"

    for p in "${missing[@]}"; do
        installed "$p" || die "package $p is still not installed after apt-get install"
    done
    say "packages installed"
else
    say "all ${#PACKAGES[@]} packages already installed"
fi

# PyPI: the in-memory OpenSearch-compatible server the Elasticsearch sink's tests run against.
if python3 -c 'import osmem_server' >/dev/null 2>&1; then
    say "osmem-server already installed"
else
    command -v python3 >/dev/null 2>&1 || die "python3 not found (needed for osmem-server, the Elasticsearch sink's test server)"
    say "installing osmem-server==0.1.6 (PyPI)"
    python3 -m pip install -q osmem-server==0.1.6 || die "pip install osmem-server==0.1.6 failed (network or PyPI?)"
fi

# Swift: on PATH, or where the Debian 12 toolchain tarball is usually unpacked.
if command -v swift >/dev/null 2>&1; then
    say "swift: $(command -v swift)"
elif [[ -x /opt/swift/usr/bin/swift ]]; then
    say "swift: /opt/swift/usr/bin/swift (not on PATH; add it: export PATH=/opt/swift/usr/bin:\$PATH)"
else
    die "Swift 6.3 was not found on PATH nor at /opt/swift/usr/bin. Install the Debian 12 toolchain from swift.org and put its usr/bin on PATH."
fi
