/**
 * POSIX sh run by the secret generator Job (image with curl). It talks to the API server with the pod's
 * ServiceAccount token: GET the Secret; if it is missing, POST a new one with a random password.
 * A 409 (someone else created it first) is success too, so re-running is always safe.
 * The password is piped to curl on stdin, so it is never a process argument.
 *
 * env: SECRET_NAME, PASSWORD_LENGTH, SECRET_LABELS_JSON (a JSON object), optional API_SERVER, SA_DIR.
 */
export function secretGeneratorScript(): string {
  return `set -eu
sa_dir="\${SA_DIR:-/var/run/secrets/kubernetes.io/serviceaccount}"
api="\${API_SERVER:-https://kubernetes.default.svc}"
ns=$(cat "$sa_dir/namespace")
token=$(cat "$sa_dir/token")
url="$api/api/v1/namespaces/$ns/secrets"

status=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$sa_dir/ca.crt" \\
  -H "Authorization: Bearer $token" "$url/$SECRET_NAME")
case "$status" in
  200) echo "secret $SECRET_NAME exists; leaving it unchanged"; exit 0 ;;
  404) ;;
  *) echo "unexpected HTTP $status reading secret $SECRET_NAME" >&2; exit 1 ;;
esac

password=$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c "$PASSWORD_LENGTH")
if [ "\${#password}" -ne "$PASSWORD_LENGTH" ]; then
  echo "could not generate a password" >&2
  exit 1
fi

status=$(printf '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"%s","labels":%s},"type":"Opaque","stringData":{"password":"%s"}}' \\
    "$SECRET_NAME" "$SECRET_LABELS_JSON" "$password" |
  curl -sS -o /dev/null -w '%{http_code}' --cacert "$sa_dir/ca.crt" \\
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \\
    -X POST --data-binary @- "$url")
case "$status" in
  201) echo "created secret $SECRET_NAME" ;;
  409) echo "secret $SECRET_NAME was created concurrently; leaving it unchanged" ;;
  *) echo "unexpected HTTP $status creating secret $SECRET_NAME" >&2; exit 1 ;;
esac
`;
}
