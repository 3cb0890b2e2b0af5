#!/usr/bin/env bash
# Runs the standalone server exactly as the container image (Dockerfile) runs it, without a container engine (none
# runs on CI machines): the same publish command, entrypoint, health check command, user and environment, read from
# the Dockerfile, with the root filesystem read-only and only the data directory writable.
#
#   scripts/container.sh publish OUT [--no-build]
#                                               publish the server with the Dockerfile's command into OUT (the
#                                               hosted pages must be built: scripts/setup.sh); --no-build takes the
#                                               solution's Release build as it is instead of compiling it again
#   scripts/container.sh run APP DATA [K=V…]    run the image's ENTRYPOINT from APP (the image's /app) with DATA as
#                                               the /data volume, plus the given environment (what `docker run -e`
#                                               would add); the process replaces this script, so signals reach it
#   scripts/container.sh healthcheck APP DATA [K=V…]
#                                               run the image's HEALTHCHECK command the same way; exit 0 or 1
#   scripts/container.sh describe               print what the runtime stage sets (user, env, entrypoint, check)
#
# As root (CI), the process runs in a private mount namespace where / is remounted read-only and only DATA is
# writable (docker run --read-only -v …:/data), as the image's numeric user (setpriv). Otherwise it runs as the
# calling user with APP unwritable, and says so on standard error.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dockerfile="$root/Dockerfile"

# What the base image (mcr.microsoft.com/dotnet/aspnet, chiseled) sets before the Dockerfile's own lines.
base_env=(APP_UID=1654 DOTNET_RUNNING_IN_CONTAINER=true ASPNETCORE_HTTP_PORTS=8080
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/home/app)

# The runtime stage: the lines after the last FROM.
runtime_stage() { awk '/^FROM /{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' "$dockerfile"; }

# A JSON array of an exec-form instruction (ENTRYPOINT [...], HEALTHCHECK … CMD [...]) as one argument per line.
json_args() { python3 -c 'import json,sys; [print(a) for a in json.loads(sys.argv[1])]' "$1"; }

image_user() {
  local user; user=$(runtime_stage | sed -n 's/^USER \(.*\)$/\1/p' | tail -n 1)
  case "$user" in
    '$APP_UID'|'${APP_UID}'|app) echo 1654 ;;
    ''|root|0) echo "the image must not run as root (USER is '${user}')" >&2; exit 1 ;;
    *) echo "$user" ;;
  esac
}

image_env() { runtime_stage | sed -n 's/^ENV \([A-Za-z_][A-Za-z0-9_]*\)=\(.*\)$/\1=\2/p'; }
image_workdir() { runtime_stage | sed -n 's/^WORKDIR \(.*\)$/\1/p' | tail -n 1; }
image_volume() { runtime_stage | sed -n 's/^VOLUME \(.*\)$/\1/p' | tail -n 1; }
entrypoint() { json_args "$(runtime_stage | sed -n 's/^ENTRYPOINT \(\[.*\]\)$/\1/p')"; }
healthcheck_cmd() { json_args "$(runtime_stage | sed -n 's/^HEALTHCHECK .* CMD \(\[.*\]\)$/\1/p')"; }

publish() {
  local out=${1:?usage: publish OUT [--no-build]} no_build=${2:-}
  [ -f "$root/src/BetterAuth.Server/wwwroot/index.html" ] || { echo "hosted pages not built: run scripts/setup.sh" >&2; exit 1; }
  local line; line=$(grep -E '^RUN dotnet publish ' "$dockerfile" | head -n 1)
  [ -n "$line" ] || { echo "no 'RUN dotnet publish' line in the Dockerfile" >&2; exit 1; }
  # The image's command with its output folder; --no-restore holds here too once the solution is restored.
  read -r -a cmd <<< "${line#RUN }"
  local args=() skip=0
  for a in "${cmd[@]}"; do
    if [ $skip -eq 1 ]; then args+=("$out"); skip=0; continue; fi
    [ "$a" = "-o" ] && skip=1
    args+=("$a")
  done
  [ "$no_build" = "--no-build" ] && args+=(--no-build)
  mkdir -p "$out"
  (cd "$root" && dotnet restore src/BetterAuth.Server/BetterAuth.Server.csproj -v q -nologo >/dev/null && "${args[@]}" -nologo -v q | grep -v ': warning ' || true)
  [ -f "$out/BetterAuth.Server.dll" ] && [ -f "$out/wwwroot/index.html" ] || { echo "publish failed" >&2; exit 1; }
  # The image's files are root's and read-only to everyone else.
  chmod -R a+rX,go-w "$out"
}

# Runs a command line of the image (paths under the image's /app and /data mapped to APP and DATA).
run_as_image() {
  local app=${1:?APP} data=${2:?DATA}; shift 2
  local -a command=() extra=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do command+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  extra=("$@")
  app=$(cd "$app" && pwd); data=$(cd "$data" && pwd)
  local workdir volume; workdir=$(image_workdir); volume=$(image_volume)
  map() { local v=$1; v=${v//$workdir/$app}; v=${v//$volume/$data}; printf '%s' "$v"; }

  local -a env=()
  for kv in "${base_env[@]}"; do env+=("$kv"); done
  while IFS= read -r kv; do env+=("$(map "$kv")"); done < <(image_env)
  for kv in "${extra[@]}"; do env+=("$(map "$kv")"); done
  local -a argv=()
  for a in "${command[@]}"; do argv+=("$(map "$a")"); done

  local uid; uid=$(image_user)
  cd "$app"
  if [ "$(id -u)" -eq 0 ] && unshare --mount --propagation private true 2>/dev/null; then
    chown -R "$uid:$uid" "$data"
    # A private mount namespace: DATA stays writable (its own bind mount), everything else becomes read-only, then
    # the process drops to the image's user with no supplementary groups and no way back.
    exec unshare --mount --propagation private -- /bin/sh -c '
      data=$1; uid=$2; shift 2
      mount --bind "$data" "$data" && mount -o remount,bind,ro / || exit 97
      exec setpriv --reuid="$uid" --regid="$uid" --clear-groups --no-new-privs -- env -i "$@"' \
      sh "$data" "$uid" "${env[@]}" "${argv[@]}"
  fi
  echo "container.sh: not root (or no mount namespaces): running as $(id -un) with $app unwritable; / stays writable" >&2
  chmod -R a-w "$app"
  exec env -i "${env[@]}" "${argv[@]}"
}

cmd=${1:-}; shift || true
case "$cmd" in
  publish) publish "$@" ;;
  run)
    app=${1:?usage: run APP DATA [K=V…]}; data=${2:?usage: run APP DATA [K=V…]}; shift 2
    mapfile -t ep < <(entrypoint)
    run_as_image "$app" "$data" "${ep[@]}" -- "$@" ;;
  healthcheck)
    app=${1:?usage: healthcheck APP DATA [K=V…]}; data=${2:?usage: healthcheck APP DATA [K=V…]}; shift 2
    mapfile -t hc < <(healthcheck_cmd)
    run_as_image "$app" "$data" "${hc[@]}" -- "$@" ;;
  describe)
    echo "user: $(image_user)"; echo "workdir: $(image_workdir)"; echo "volume: $(image_volume)"
    echo "entrypoint: $(entrypoint | paste -sd' ')"; echo "healthcheck: $(healthcheck_cmd | paste -sd' ')"
    echo "env:"; printf '  %s\n' "${base_env[@]}"; image_env | sed 's/^/  /' ;;
  *) echo "usage: $0 publish OUT | run APP DATA [K=V…] | healthcheck APP DATA [K=V…] | describe" >&2; exit 2 ;;
esac
