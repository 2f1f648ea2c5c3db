/**
 * Shell scripts run in the AWS CLI v2 image (bash, GNU date). Shared by every engine's backup and restore.
 *
 * Layout in the bucket: s3://$S3_BUCKET/$S3_PREFIX/<backup id>/<files>, where the id is the UTC start time
 * (YYYYMMDDTHHMMSSZ, so names sort by age) and a `COMPLETE` marker is written last: a backup without it
 * was interrupted and is never restored from by `latest`.
 */

const S3_FUNCTION = `s3() {
  if [ -n "\${S3_ENDPOINT:-}" ]; then
    aws --endpoint-url "$S3_ENDPOINT" s3 "$@"
  else
    aws s3 "$@"
  fi
}
if [ "\${S3_FORCE_PATH_STYLE:-false}" = "true" ]; then
  # MinIO and most S3-compatible stores need path-style URLs.
  aws configure set default.s3.addressing_style path
fi
base="s3://$S3_BUCKET/$S3_PREFIX"
backup_ids() {
  s3 ls "$base/" | awk '$1 == "PRE" { print $2 }' | tr -d '/' | grep -E '^[0-9]{8}T[0-9]{6}Z$' | sort || true
}`;

/**
 * Uploads BACKUP_DIR to a new backup folder, marks it complete, then deletes backup folders older than
 * RETENTION_DAYS under the prefix (never the new one, never anything that is not a backup folder).
 *
 * env: S3_BUCKET, S3_PREFIX, S3_ENDPOINT (optional), S3_FORCE_PATH_STYLE, AWS credentials, BACKUP_DIR,
 * RETENTION_DAYS, BACKUP_ID (optional; default the current UTC time).
 */
export function s3UploadScript(): string {
  return `#!/bin/bash
set -euo pipefail
${S3_FUNCTION}

backup_id="\${BACKUP_ID:-$(date -u +%Y%m%dT%H%M%SZ)}"
if [ -z "$(ls -A "$BACKUP_DIR")" ]; then
  echo "no backup files in $BACKUP_DIR" >&2
  exit 1
fi
echo "uploading $(ls "$BACKUP_DIR" | wc -l) files to $base/$backup_id/"
s3 cp --recursive --only-show-errors "$BACKUP_DIR/" "$base/$backup_id/"
marker="\${TMPDIR:-/tmp}/COMPLETE"
date -u +%Y-%m-%dT%H:%M:%SZ > "$marker"
s3 cp --only-show-errors "$marker" "$base/$backup_id/COMPLETE"
echo "backup $backup_id complete"

cutoff=$(date -u -d "-$RETENTION_DAYS days" +%Y%m%dT%H%M%SZ)
for id in $(backup_ids); do
  if [ "$id" != "$backup_id" ] && [[ "$id" < "$cutoff" ]]; then
    echo "deleting expired backup $id (older than $RETENTION_DAYS days)"
    s3 rm --recursive --only-show-errors "$base/$id/"
  fi
done
`;
}

/**
 * Downloads one backup (BACKUP_ID, or `latest` = the newest complete one) into RESTORE_DIR, but only when
 * DATA_DIR is a fresh volume: a restore seeds new volumes and never overwrites data.
 *
 * env: S3_BUCKET, S3_PREFIX, S3_ENDPOINT (optional), S3_FORCE_PATH_STYLE, AWS credentials, BACKUP_ID,
 * RESTORE_DIR, DATA_DIR; optional RESTORE_ORDINALS with POD_NAME: only pods with one of these ordinals download.
 */
export function s3DownloadScript(): string {
  return `#!/bin/bash
set -euo pipefail
if [ -n "\${RESTORE_ORDINALS:-}" ] && [[ " $RESTORE_ORDINALS " != *" \${POD_NAME##*-} "* ]]; then
  echo "pod $POD_NAME does not load backups (only ordinals $RESTORE_ORDINALS do)"
  exit 0
fi
existing=$(find "$DATA_DIR" -mindepth 1 -maxdepth 1 ! -name lost+found | head -n 1)
if [ -n "$existing" ]; then
  echo "$DATA_DIR already holds data ($existing); not restoring"
  exit 0
fi
${S3_FUNCTION}

id="$BACKUP_ID"
if [ "$id" = "latest" ]; then
  id=""
  for candidate in $(backup_ids); do
    if s3 ls "$base/$candidate/COMPLETE" >/dev/null 2>&1; then
      id="$candidate"
    fi
  done
  if [ -z "$id" ]; then
    echo "no complete backup under $base/" >&2
    exit 1
  fi
fi
echo "downloading backup $id from $base/$id/"
s3 cp --recursive --only-show-errors "$base/$id/" "$RESTORE_DIR/"
if [ ! -f "$RESTORE_DIR/COMPLETE" ]; then
  echo "backup $id has no COMPLETE marker: it was interrupted; choose another backup" >&2
  exit 1
fi
`;
}
