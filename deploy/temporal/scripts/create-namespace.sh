#!/bin/sh
# Creates the Temporal namespace (or updates its retention) and registers our custom search
# attributes. Runs in temporalio/admin-tools as the `temporal-namespace` compose job, after the
# server is healthy and before the worker starts. Safe to run on every `docker compose up`.
#
# TEMPORAL_SEARCH_ATTRIBUTES is a space-separated list of Name=Type pairs; the list in
# docker-compose.yml must match workflows/search-attributes.ts.
set -eu

: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS is required (host:port)}"
: "${TEMPORAL_NAMESPACE:?TEMPORAL_NAMESPACE is required}"
: "${TEMPORAL_SEARCH_ATTRIBUTES:?TEMPORAL_SEARCH_ATTRIBUTES is required (Name=Type ...)}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-30d}"
MAX_ATTEMPTS="${SETUP_MAX_ATTEMPTS:-60}"
SLEEP_SECONDS="${SETUP_SLEEP_SECONDS:-2}"

ns="$TEMPORAL_NAMESPACE"
addr="$TEMPORAL_ADDRESS"

echo "Waiting for the Temporal server at ${addr} to report SERVING..."
attempt=1
until temporal operator cluster health --address "$addr" >/dev/null 2>&1; do
  if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
    echo "Temporal server at ${addr} not healthy after ${MAX_ATTEMPTS} attempts" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep "$SLEEP_SECONDS"
done

# Namespace: create it, or bring the retention of an existing one in line.
if temporal operator namespace describe --namespace "$ns" --address "$addr" >/dev/null 2>&1; then
  echo "Namespace ${ns} exists; setting retention to ${RETENTION}."
  temporal operator namespace update --namespace "$ns" --retention "$RETENTION" --address "$addr"
else
  echo "Creating namespace ${ns} (retention ${RETENTION})..."
  if ! output=$(temporal operator namespace create --namespace "$ns" --retention "$RETENTION" --address "$addr" 2>&1); then
    case "$output" in
      *"already exists"* | *"AlreadyExists"* | *"already registered"*)
        echo "Namespace ${ns} was created concurrently; continuing." ;;
      *)
        echo "$output" >&2
        exit 1 ;;
    esac
  fi
fi

# Search attributes: "already exists" counts as done. Other failures are retried for a while,
# because a namespace that was just created takes a few seconds to reach every service's cache.
for pair in $TEMPORAL_SEARCH_ATTRIBUTES; do
  name="${pair%%=*}"
  type="${pair#*=}"
  if [ -z "$name" ] || [ -z "$type" ] || [ "$name" = "$pair" ]; then
    echo "Bad TEMPORAL_SEARCH_ATTRIBUTES entry '${pair}': expected Name=Type" >&2
    exit 1
  fi
  attempt=1
  while :; do
    if output=$(temporal operator search-attribute create --namespace "$ns" --name "$name" --type "$type" --address "$addr" 2>&1); then
      echo "Search attribute ${name} (${type}) registered."
      break
    fi
    case "$output" in
      *"already exists"* | *"AlreadyExists"*)
        echo "Search attribute ${name} already exists (its type is not changed; check it below)."
        break ;;
    esac
    if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
      echo "Could not register search attribute ${name} (${type}) after ${MAX_ATTEMPTS} attempts:" >&2
      echo "$output" >&2
      exit 1
    fi
    attempt=$((attempt + 1))
    sleep "$SLEEP_SECONDS"
  done
done

echo "Search attributes of namespace ${ns}:"
temporal operator search-attribute list --namespace "$ns" --address "$addr" || true
echo "Namespace ${ns} is ready."
