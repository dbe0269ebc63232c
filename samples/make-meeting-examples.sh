#!/usr/bin/env bash
# Builds the steering group's example documents in samples/meeting-2027/ from the demo data:
# the 2027 meeting calendar, the agenda of its first meeting, the decisions taken there (decisions-1.json,
# filled in by hand from the template), and the minutes. The clock is fixed with faketime (Debian package faketime;
# GapFlow itself has no clock switch), so the output is the same on every run; a test (MeetingExamplesTests) runs
# this script and fails if the committed files differ from what it produces.
#
#   samples/make-meeting-examples.sh [OUTPUT_DIR]      (default: samples/meeting-2027; needs a built gapflow and faketime)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="${1:-$here/meeting-2027}"
gapflow="${GAPFLOW:-$root/.build/debug/gapflow}"
[ -x "$gapflow" ] || { echo "build gapflow first (swift build), or set GAPFLOW=path/to/gapflow" >&2; exit 1; }
command -v faketime >/dev/null || { echo "needs faketime (apt-get install faketime)" >&2; exit 1; }
export TZ=UTC
# gapflow at a frozen instant (UTC): faketime -f stops the system clock there, for that process only.
at() { local instant="$1"; shift; faketime -f "$instant" "$gapflow" "$@"; }
now="2026-11-25 08:00:00"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GAPFLOW_DB="$work/demo.sqlite"
mkdir -p "$out"
cd "$root"

at "$now" demo --db "$GAPFLOW_DB" > /dev/null
at "$now" meeting add --date 2027-03-11 --time 14:00 --title "1. Sitzung der Lenkungsgruppe 2027" --place "Kreishaus Siegburg, Sitzungssaal" > /dev/null
at "$now" meeting add --date 2027-06-17 --time 14:00 --title "2. Sitzung der Lenkungsgruppe 2027" --place "Kreishaus Siegburg, Sitzungssaal" > /dev/null
at "$now" meeting add --date 2027-09-16 --time 14:00 --title "3. Sitzung der Lenkungsgruppe 2027" --place "Rathaus Troisdorf" > /dev/null
at "$now" meeting add --date 2027-12-09 --time 14:00 --title "4. Sitzung der Lenkungsgruppe 2027" --place "Kreishaus Siegburg, Sitzungssaal" > /dev/null

at "$now" meeting ics --out "$out/meetings-2027.ics" > /dev/null
at "$now" agenda --meeting 1 --format md --out "$out/agenda-1.md" > /dev/null
at "$now" agenda --meeting 1 --format html --out "$out/agenda-1.html" > /dev/null
at "$now" agenda --meeting 1 --format csv --out "$out/agenda-1.csv" > /dev/null
at "$now" agenda --meeting 1 --format decisions --out "$out/decisions-1-template.json" > /dev/null
# The office records the decisions the day after the meeting.
now="2027-03-12 09:00:00"
at "$now" decisions apply "$here/meeting-2027/decisions-1.json" --as geschaeftsstelle > "$out/decisions-1-applied.txt"
at "$now" minutes --meeting 1 --format md --out "$out/minutes-1.md" > /dev/null
at "$now" minutes --meeting 1 --format html --out "$out/minutes-1.html" > /dev/null
at "$now" feedback-report --format md --out "$out/feedback.md" > /dev/null
echo "wrote $out"
