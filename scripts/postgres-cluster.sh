#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, on loopback only.
#   scripts/postgres-cluster.sh start FOLDER [PORT]  prints the server's URL
#   scripts/postgres-cluster.sh restart FOLDER       restarts it (clients see their connections cut)
#   scripts/postgres-cluster.sh stop FOLDER          stops that cluster (by the pid in its folder) and removes it
# Its user "inkling" (password "inkling") logs in with a password over TCP, so
# tests can also try a wrong one; local socket connections are trusted.
set -euo pipefail
command=${1:?start or stop}
folder=${2:?a folder for the cluster}

bin_of() {
	local found
	found=$(command -v "$1" 2>/dev/null || true)
	if [ -z "$found" ]; then
		found=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -1 || true)
	fi
	if [ -z "$found" ]; then
		echo "postgres-cluster: $1 not found (install PostgreSQL: apt-get install postgresql)" >&2
		exit 1
	fi
	echo "$found"
}

# PostgreSQL refuses to run as root: run its programs as the postgres user then.
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		# From / : the postgres user may not enter the caller's folder.
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

case "$command" in
start)
	port=${3:-$((20000 + RANDOM % 20000))}
	mkdir -p "$folder"
	echo inkling > "$folder/password"
	if [ "$(id -u)" = 0 ]; then
		chown -R postgres "$folder"
		# The postgres user must reach the folder through its parents (mktemp -d makes them private).
		parent=$(dirname "$(realpath "$folder")")
		while [ "$parent" != / ]; do chmod o+x "$parent"; parent=$(dirname "$parent"); done
	fi
	if ! as_owner "$(bin_of initdb)" -D "$folder/data" -U inkling --pwfile="$folder/password" --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale >"$folder/initdb.log" 2>&1; then
		cat "$folder/initdb.log" >&2
		exit 1
	fi
	rm -f "$folder/password"
	# A port another program took: try another (unless one was asked for).
	for attempt in 1 2 3 4 5; do
		if as_owner "$(bin_of pg_ctl)" -D "$folder/data" -l "$folder/server.log" -w -t 30 \
			-o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$folder" start >/dev/null; then
			break
		fi
		if [ -n "${3:-}" ] || [ "$attempt" = 5 ]; then
			cat "$folder/server.log" >&2
			exit 1
		fi
		port=$((20000 + RANDOM % 20000))
	done
	as_owner "$(bin_of createdb)" -h "$folder" -p "$port" -U inkling inkling
	echo "postgres://inkling:inkling@127.0.0.1:$port/inkling"
	;;
restart)
	# A server restart under its clients (benchmarks): fast shutdown, then start on the same port.
	as_owner "$(bin_of pg_ctl)" -D "$folder/data" -m fast -w -t 30 restart >/dev/null
	;;
stop)
	if [ -f "$folder/data/postmaster.pid" ]; then
		as_owner "$(bin_of pg_ctl)" -D "$folder/data" -m fast -w stop >/dev/null || true
	fi
	rm -rf "$folder"
	;;
*)
	echo "postgres-cluster: start or stop" >&2
	exit 2
	;;
esac
