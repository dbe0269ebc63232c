#!/usr/bin/env bash
# Builds the steering group's example year in samples/meeting-2027/ from the demo data: the 2027 meeting calendar,
# the agenda of the 1st meeting as published (frozen) with a supplement (Nachtrag), the decisions taken there
# (decisions-1.json, filled in by hand from the template), a decision in writing between meetings
# (circulation-2027-1.json), the 2nd meeting's agenda and decisions, the minutes of the 1st meeting approved at the
# 2nd and then corrected, the 3rd meeting cancelled (STATUS:CANCELLED in the calendar), the minutes of the 2nd
# approved at the 4th, the Land's answer to a report recorded, the feedback report (feedback not yet published) and the year's feedback report (published
# or not). The clock is fixed with faketime (Debian package faketime; GapFlow itself has no clock switch), so the
# output is the same on every run; a test (MeetingExamplesTests) runs this script and fails if the committed files
# differ from what it produces.
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
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GAPFLOW_DB="$work/demo.sqlite"
mkdir -p "$out"
cd "$root"
input="$here/meeting-2027"

# 25 November 2026: the demo's data, and the calendar of 2027.
now="2026-11-25 08:00:00"
at "$now" demo --db "$GAPFLOW_DB" > /dev/null
at "$now" meeting add --date 2027-03-11 --time 14:00 --title "1. Sitzung der Lenkungsgruppe 2027" --place "Kreishaus Siegburg, Sitzungssaal" > /dev/null
at "$now" meeting add --date 2027-06-17 --time 14:00 --title "2. Sitzung der Lenkungsgruppe 2027" --place "Kreishaus Siegburg, Sitzungssaal" > /dev/null
at "$now" meeting add --date 2027-09-16 --time 14:00 --title "3. Sitzung der Lenkungsgruppe 2027" --place "Rathaus Troisdorf" > /dev/null
at "$now" meeting add --date 2027-12-09 --time 14:00 --title "4. Sitzung der Lenkungsgruppe 2027" --place "Kreishaus Siegburg, Sitzungssaal" > /dev/null
# The steering group's register (fictional names), each member with a deputy.
at "$now" meeting member-add "Dr. Petra Hansen" --body "Rhein-Sieg-Kreis, Dezernat Soziales (Vorsitz)" --deputy "Jonas Albers" > /dev/null
at "$now" meeting member-add "Miriam Osei" --body "Jobcenter Rhein-Sieg" --deputy "Frank Weber" > /dev/null
at "$now" meeting member-add "Stefan Krüger" --body "Agentur für Arbeit Bonn" --deputy "Aylin Demir" > /dev/null
at "$now" meeting member-add "Katrin Vogt" --body "Ausländerbehörde des Kreises" --deputy "Lars Becker" > /dev/null
at "$now" meeting member-add "Hakan Yıldız" --body "Kommunales Integrationszentrum" --deputy "Sabine Roth" > /dev/null

# 2 March 2027, after the submission deadline: the office publishes the 1st agenda; it is stored as sent.
now="2027-03-02 08:00:00"
at "$now" agenda publish --meeting 1 > /dev/null
at "$now" agenda --meeting 1 --format md --out "$out/agenda-1.md" > /dev/null
at "$now" agenda --meeting 1 --format html --out "$out/agenda-1.html" > /dev/null
at "$now" agenda --meeting 1 --format csv --out "$out/agenda-1.csv" > /dev/null
# 4 March: the KI lead tables one more gap; it goes to the 1st meeting as supplement 1 (Nachtrag).
now="2027-03-04 09:00:00"
at "$now" fire GAP-2026-0008 table --as ki.leitung \
  --set "proposal=Der Kreis meldet dem Land, dass die Förderrichtlinie für Sprachkurse keine Fahrtkosten im ländlichen Raum vorsieht." > /dev/null
at "$now" agenda supplement --meeting 1 --ticket GAP-2026-0008 > /dev/null
at "$now" agenda --meeting 1 --supplement 1 --format md --out "$out/agenda-1-supplement-1.md" > /dev/null
at "$now" agenda --meeting 1 --supplement 1 --format html --out "$out/agenda-1-supplement-1.html" > /dev/null
at "$now" agenda --meeting 1 --format decisions --out "$out/decisions-1-template.json" > /dev/null

# 12 March, the day after the meeting: the office records its decisions.
now="2027-03-12 09:00:00"
at "$now" meeting attendance 1 --deputized "Miriam Osei" --absent "Katrin Vogt" --chair "Dr. Petra Hansen" \
  --minute-taker "Geschäftsstelle: Tim Schulte" --start 14:00 --end 16:05 > /dev/null
at "$now" decisions apply "$input/decisions-1.json" --as geschaeftsstelle > "$out/decisions-1-applied.txt"

# 19 March: the coordination publishes the feedback on one gap decided there; it leaves the feedback stage.
at "2027-03-19 10:00:00" fire GAP-2026-0007 publish --as koordination \
  --set "feedback=Ab Herbst bieten die Pflegeschulen im Kreis gemeinsam Anpassungslehrgänge an." > /dev/null

# 6 and 20 April: a gap tabled between meetings is decided in writing (Umlaufverfahren).
at "2027-04-06 09:00:00" fire GAP-2026-0013 table --as ki.leitung \
  --set "proposal=Die Sparkassen im Kreis eröffnen Basiskonten auch mit Duldung oder Ankunftsnachweis." > /dev/null
at "2027-04-20 09:00:00" decisions apply "$input/circulation-2027-1.json" --as geschaeftsstelle > "$out/circulation-2027-1-applied.txt"

# 2 June: the project group sends its solution; 8 June: the 2nd agenda is published.
at "2027-06-02 09:00:00" fire GAP-2026-0011 submit_solution --as pg.schule \
  --set "solution=Stufenplan: ab dem Schuljahr 2027/28 sechs zusätzliche Vorbereitungsklassen an drei Standorten; das Schulamt meldet den Lehrkräftebedarf." > /dev/null
now="2027-06-08 08:00:00"
at "$now" agenda publish --meeting 2 > /dev/null
at "$now" agenda --meeting 2 --format md --out "$out/agenda-2.md" > /dev/null
at "$now" agenda --meeting 2 --format html --out "$out/agenda-2.html" > /dev/null

# 17 June, after the 2nd meeting: its decisions, and the approval of the 1st meeting's minutes (its TOP 2).
now="2027-06-17 17:00:00"
at "$now" meeting attendance 2 --chair "Dr. Petra Hansen" --minute-taker "Geschäftsstelle: Tim Schulte" --start 14:00 --end 15:40 > /dev/null
at "$now" decisions apply "$input/decisions-2.json" --as geschaeftsstelle > "$out/decisions-2-applied.txt"
at "$now" minutes approve --meeting 1 > /dev/null
# 21 June: a correction of the approved minutes is recorded and shows in them, dated.
at "2027-06-21 09:00:00" minutes correct --meeting 1 \
  --text "TOP 4.2: Die Anpassungslehrgänge beginnen im Herbst 2027, nicht 2026." > /dev/null
at "$now" minutes --meeting 1 --format md --out "$out/minutes-1.md" > /dev/null
at "$now" minutes --meeting 1 --format html --out "$out/minutes-1.html" > /dev/null

# 30 June: the Land answers the report of the 1st meeting (TOP 4.4); the office records it, which ends its tracking
# on the agendas (Beschlusskontrolle) and puts the answer into the feedback to the CMs.
at "2027-06-30 09:00:00" fire GAP-2026-0008 record_state_answer --as geschaeftsstelle \
  --set "state_answer=Das Land prüft, ob die Förderrichtlinie ab 2028 Fahrtkosten im ländlichen Raum übernimmt." > /dev/null

# 1 August: the 3rd meeting is cancelled; 30 November: the 4th agenda is published; 9 December: minutes 2 approved.
at "2027-08-01 09:00:00" meeting cancel 3 > /dev/null
at "2027-11-30 08:00:00" agenda publish --meeting 4 > /dev/null
now="2027-12-09 17:00:00"
at "$now" minutes approve --meeting 2 > /dev/null
at "$now" minutes --meeting 2 --format md --out "$out/minutes-2.md" > /dev/null
at "$now" minutes --meeting 2 --format html --out "$out/minutes-2.html" > /dev/null
# The UIDs hold the database's identity, which is random; written as zeros, the file is the same on every run.
identity="$(at "$now" export --format jsonl | sed -n 's/^{"table":"store_identity","row":{"id":"\([0-9a-f]*\)".*/\1/p')"
at "$now" meeting ics > "$work/meetings.ics"
if [ -n "$identity" ]; then sed "s/$identity/$(printf '%s' "$identity" | tr '0-9a-f' '0')/g" "$work/meetings.ics"; else cat "$work/meetings.ics"; fi \
  > "$out/meetings-2027.ics"
at "$now" feedback-report --format md --out "$out/feedback.md" > /dev/null
# The year's results, their feedback published or not, each dated by the meeting (or decision in writing) that decided it.
at "$now" feedback-report --from 01.01.2027 --to 31.12.2027 --format md --out "$out/feedback-2027.md" > /dev/null
echo "wrote $out"
