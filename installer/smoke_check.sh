#!/usr/bin/env bash
# Smoke check of the frozen one-folder build (`make bundle-check`; CI-safe, needs no display).
#
#   installer/smoke_check.sh [BUNDLE_DIR]      (default: dist/center-desk)
#
# Runs the frozen program, never the source tree, on throwaway data and settings folders:
#  1. --version prints "Center Desk <version of the source tree>";
#  2. --screenshot renders the sign-in dialog and the screens in $SMOKE_VIEWS offscreen (default:
#     home, statistics = pyqtgraph/numpy, printing = pdfium/QtPrintSupport) on a seeded throwaway
#     database: Alembic migrations, seed data, fonts, catalogs and Qt's translations from the bundle;
#  3. headless commands through the console program: backup refuses a database that does not
#     exist; users add creates and migrates a new SQLite file; backup copies it; publish writes
#     the public site (templates and style sheet from the bundle);
#  4. on hard-linked copies of the bundle with one shipped file removed or damaged (the Japanese
#     catalog, a font cut short, the migrations folder), start-up fails with exit status 1 and
#     a message naming that file.
# Exits non-zero at the first failure and says which step failed.
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE=${1:-dist/center-desk}
BUNDLE=${BUNDLE%/}
if [ -x "$BUNDLE/center-desk.exe" ]; then EXE=center-desk.exe; else EXE=center-desk; fi
[ -x "$BUNDLE/$EXE" ] || { echo "smoke: no program $BUNDLE/$EXE (run make bundle first)" >&2; exit 1; }
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' center_app/__init__.py)

WORK=$(mktemp -d "$(cd "$(dirname "$BUNDLE")" && pwd)/smoke.XXXXXX")   # beside the bundle: hard links need one filesystem
trap 'rm -rf "$WORK"' EXIT
export QT_QPA_PLATFORM=offscreen
export CENTER_APP_DATA_DIR="$WORK/data" CENTER_APP_SETTINGS_DIR="$WORK/settings"
unset CENTER_APP_DATABASE_URL
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }
is_png() { [ -s "$1" ] && [ "$(head -c 4 "$1" | tail -c 3)" = "PNG" ]; }
started=$(date +%s%N)

out=$("$BUNDLE/$EXE" --version) || fail "--version exited with $?"
[ "$out" = "Center Desk $VERSION" ] || fail "--version printed '$out', expected 'Center Desk $VERSION'"
echo "smoke: ok  --version: $out"

for view in login ${SMOKE_VIEWS:-home statistics printing}; do
  "$BUNDLE/$EXE" --screenshot "$WORK/$view.png" --view "$view" 2>"$WORK/$view.err" \
    || { cat "$WORK/$view.err" >&2; fail "--screenshot --view $view exited non-zero"; }
  is_png "$WORK/$view.png" || fail "--screenshot --view $view wrote no PNG"
  echo "smoke: ok  --screenshot --view $view ($(wc -c <"$WORK/$view.png") bytes)"
done

# A command that only reads refuses a database that does not exist (a mistyped path)...
if "$BUNDLE/$EXE" --database-url "sqlite:///$WORK/new.sqlite3" backup >"$WORK/missing.out" 2>&1; then
  fail "backup of a database that does not exist succeeded"
fi
grep -q "new.sqlite3" "$WORK/missing.out" || fail "the refusal does not name the missing database"
# ... the first administrator creates and migrates it, and backup copies it.
CENTER_APP_NEW_PASSWORD=smoke-password-1 "$BUNDLE/$EXE" --database-url "sqlite:///$WORK/new.sqlite3" users add smoke --role admin >"$WORK/users.out" 2>&1 \
  || { cat "$WORK/users.out" >&2; fail "users add on a new database exited non-zero"; }
"$BUNDLE/$EXE" --database-url "sqlite:///$WORK/new.sqlite3" backup --output "$WORK/new-backup.sqlite3" >"$WORK/backup.out" 2>&1 \
  || { cat "$WORK/backup.out" >&2; fail "backup of the new database exited non-zero"; }
[ -s "$WORK/new-backup.sqlite3" ] || fail "backup wrote no file"
echo "smoke: ok  headless command (new database migrated, backup written)"

# the font chain from the bundle: 𠮷 (IPAmj明朝) and 葛 + U+E0102 (a variant read with fontTools)
printf '団体名,フリガナ,団体種別,活動分野,代表者名\n\xf0\xa0\xae\xb7野の会,ヨシノノカイ,任意団体,社会教育,葛\xf3\xa0\x84\x82城 花子\n' >"$WORK/names.csv"
"$BUNDLE/$EXE" --database-url "sqlite:///$WORK/new.sqlite3" groups import "$WORK/names.csv" >"$WORK/import.out" 2>&1 \
  || { cat "$WORK/import.out" >&2; fail "groups import exited non-zero"; }
CENTER_APP_PASSWORD=smoke-password-1 "$BUNDLE/$EXE" --database-url "sqlite:///$WORK/new.sqlite3" \
  print certificates --all-active --output "$WORK/certs.pdf" --as smoke >"$WORK/print.out" 2>&1 \
  || { cat "$WORK/print.out" >&2; fail "print certificates exited non-zero"; }
[ -s "$WORK/certs.pdf" ] || fail "print certificates wrote no PDF"
if command -v pdftotext >/dev/null; then
  pdftotext "$WORK/certs.pdf" - | grep -q "$(printf '\xf0\xa0\xae\xb7')野の会" || fail "the certificate does not extract 𠮷野の会"
  pdftotext "$WORK/certs.pdf" - | grep -q "$(printf '葛\xf3\xa0\x84\x82城')" || fail "the certificate does not extract 葛 + U+E0102"
fi
echo "smoke: ok  certificate with 𠮷 and a variation sequence printed from the bundle"

# the public site's templates and style sheet from the bundle (Jinja2, icalendar)
CENTER_APP_PASSWORD=smoke-password-1 "$BUNDLE/$EXE" --database-url "sqlite:///$WORK/new.sqlite3" \
  publish --output "$WORK/site" --months 1 --lang ja,ja_easy --as smoke >"$WORK/publish.out" 2>&1 \
  || { cat "$WORK/publish.out" >&2; fail "publish exited non-zero"; }
[ -s "$WORK/site/ja/index.html" ] || fail "publish wrote no ja/index.html"
[ -s "$WORK/site/style.css" ] && ls "$WORK"/site/calendar/room-*.ics >/dev/null || fail "publish wrote no style sheet or calendar files"
echo "smoke: ok  public site written from the bundle ($(find "$WORK/site" -type f | wc -l) files)"

# A damaged installation: each case is a hard-linked copy of the bundle with one file broken.
damaged() {  # NAME RELATIVE-PATH ACTION(remove|truncate)
  local copy="$WORK/$1" target
  cp -al "$BUNDLE" "$copy" 2>/dev/null || cp -a "$BUNDLE" "$copy"
  target=$(find "$copy" -path "*/$2" -print -quit)
  [ -n "$target" ] || fail "damaged-$1: $2 not found in the bundle"
  case $3 in
    remove) rm -rf "$target" ;;
    truncate) head -c 4096 "$target" >"$target.part"; rm -f "$target"; mv "$target.part" "$target" ;;
  esac
  if "$copy/$EXE" --screenshot "$WORK/$1.png" --view home >"$WORK/$1.out" 2>&1; then
    fail "damaged-$1: started although $2 is broken"
  fi
  grep -q -F "$2" "$WORK/$1.out" || { cat "$WORK/$1.out" >&2; fail "damaged-$1: the message does not name $2"; }
  echo "smoke: ok  $3 $2 -> named at start-up: $(grep -F "$2" "$WORK/$1.out" | head -1 | sed "s|$copy/||")"
  rm -rf "$copy"
}
damaged catalog "translations/ja/LC_MESSAGES/center_app.mo" remove
damaged font "resources/fonts/ipaexg.ttf" truncate
damaged migrations "center_app/db/migrations" remove

elapsed=$(( ($(date +%s%N) - started) / 100000000 ))
echo "smoke: all passed in $((elapsed / 10)).$((elapsed % 10)) s"
