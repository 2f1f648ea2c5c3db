#!/bin/bash
# A stand-in for the AWS CLI's `s3` commands, backed by a local folder ($FAKE_S3_ROOT/<bucket>/<key>).
# It implements just what the backup scripts call: s3 cp [--recursive], s3 ls, s3 rm --recursive, configure set.
set -euo pipefail
echo "$*" >> "$FAKE_S3_LOG"
if [ "$1" = "configure" ]; then exit 0; fi
if [ "$1" = "--endpoint-url" ]; then shift 2; fi
[ "$1" = "s3" ] || exit 2
shift
cmd=$1
shift
recursive=false
pos=()
for a in "$@"; do
  case "$a" in
    --recursive) recursive=true ;;
    --only-show-errors) ;;
    *) pos+=("$a") ;;
  esac
done
local_path() { echo "$FAKE_S3_ROOT/${1#s3://}"; }
case "$cmd" in
  cp)
    src=${pos[0]}
    dst=${pos[1]}
    if [[ $src == s3://* ]]; then src=$(local_path "$src"); fi
    if [[ $dst == s3://* ]]; then dst=$(local_path "$dst"); fi
    if $recursive; then
      [ -d "$src" ] || exit 1
      mkdir -p "$dst"
      cp -r "$src"/. "$dst"/
    else
      [ -f "$src" ] || exit 1
      mkdir -p "$(dirname "$dst")"
      cp "$src" "$dst"
    fi
    ;;
  ls)
    p=$(local_path "${pos[0]}")
    if [[ ${pos[0]} == */ ]]; then
      [ -d "$p" ] || exit 1
      for e in "$p"*; do
        if [ -d "$e" ]; then echo "                           PRE $(basename "$e")/"; fi
        if [ -f "$e" ]; then echo "2026-01-01 00:00:00          1 $(basename "$e")"; fi
      done
    else
      [ -f "$p" ] || exit 1
      echo "2026-01-01 00:00:00          1 $(basename "$p")"
    fi
    ;;
  rm)
    rm -rf "$(local_path "${pos[0]}")"
    ;;
  *) exit 2 ;;
esac
