#!/usr/bin/env bash
# Screenshots of the demo visit for the README, in headless Chromium (Debian's chromium package).
# Run from the project's root: bash docs/screenshots/take.sh   (serves a fresh demo database on :8765)
set -euo pipefail
out=docs/screenshots
db=$(mktemp -d)/demo.sqlite3
export DATABASE_URL="sqlite:///$db" DJANGO_DEBUG=true
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py load_demo -v0
# A second, made-up visit whose officials the sources name by office only (issue: members by office).
.venv/bin/python manage.py shell -v0 < docs/screenshots/example_office_visit.py >/dev/null
.venv/bin/python manage.py runserver 127.0.0.1:8765 --noreload >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
for _ in $(seq 1 30); do curl -sf -o /dev/null http://127.0.0.1:8765/ && break; sleep 0.5; done

shoot() {  # name path width height language
  profile=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$profile" --lang="$5" --accept-lang="$5" \
    --window-size="$3,$4" --screenshot="$out/$1.png" "http://127.0.0.1:8765$2" >/dev/null 2>&1
  rm -rf "$profile"
  echo "$out/$1.png"
}
visit=/delegations/irkutsk-region-france-2018
shoot itinerary-1280 "$visit/" 1280 2600 en
shoot itinerary-390 "$visit/" 390 2600 en
shoot itinerary-fr-1280 "$visit/" 1280 2600 fr
shoot itinerary-ru-1280 "$visit/" 1280 2600 ru
shoot itinerary-ru-390 "$visit/" 390 2600 ru
shoot outcomes-1280 "$visit/outcomes/" 1280 1800 en
shoot outcomes-390 "$visit/outcomes/" 390 2600 en
shoot directory-1280 /organizations/ 1280 1600 en
shoot directory-390 /organizations/ 390 2000 en
shoot meetings-1280 /meetings/ 1280 1200 en
shoot results-1280 /results/ 1280 2530 en
shoot results-390 /results/ 390 4490 en
shoot office-members-1280 /delegations/gomel-region-bavaria-2019/ 1280 1130 en
shoot office-outcomes-1280 /delegations/gomel-region-bavaria-2019/outcomes/ 1280 800 en
