#!/usr/bin/env bash
# Packs every package into a local folder feed, then builds the sample (samples/ProtectedApi) and a project made by
# the `dotnet new betterauth-api` template FROM THOSE PACKAGES ONLY (outside the repository: no project references,
# no Directory.Build.props), runs each and drives it over HTTP: sign-up, sign-in, a protected call.
# Each package gets a version unique to this run (0.1.0-ci.<stamp>), so no older package of the same version in the
# NuGet cache can stand in for the one just packed; those versions are removed from the cache at the end.
# Prints one line per check and ends with "package smoke: N passed, N failed". Expects a Release build of the solution.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d /tmp/better-auth-packages-XXXXXX)
version_prefix=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)
version="$version_prefix-ci.$(date -u +%Y%m%d%H%M%S).$$"
feed="$work/feed"
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
passed=0; failed=0; pids=()
ok() { echo "ok   $1"; passed=$((passed + 1)); }
ko() { echo "FAIL $1"; failed=$((failed + 1)); }
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for dir in "$cache"/betterauth*/; do rm -rf "$dir$version"; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "== pack $version"
if dotnet pack BetterAuth.sln -c Release --no-build -nologo -v q -o "$feed" -p:PackageVersion="$version" > "$work/pack.log" 2>&1; then
  ok "dotnet pack BetterAuth.sln"
else
  tail -n 30 "$work/pack.log"; ko "dotnet pack BetterAuth.sln"
fi
expected=(BetterAuth BetterAuth.Sqlite BetterAuth.PostgreSql BetterAuth.Redis BetterAuth.MailKit BetterAuth.PhoneNumber BetterAuth.TwoFactor BetterAuth.Passkey BetterAuth.Templates)
for id in "${expected[@]}"; do
  nupkg="$feed/$id.$version.nupkg"
  if [ ! -f "$nupkg" ]; then ko "$id: package packed"; continue; fi
  listing=$(unzip -l "$nupkg")
  nuspec=$(unzip -p "$nupkg" "$id.nuspec")
  problems=""
  grep -q ' LICENSE$' <<<"$listing" || problems+=" no-LICENSE-file"
  grep -q ' README.md$' <<<"$listing" || problems+=" no-README"
  grep -q '<license type="expression">MIT</license>' <<<"$nuspec" || problems+=" no-MIT-license"
  grep -q '<description>' <<<"$nuspec" || problems+=" no-description"
  if [ "$id" != BetterAuth.Templates ]; then
    grep -q "lib/net10.0/$id.xml" <<<"$listing" || problems+=" no-xml-docs"
    [ -f "$feed/$id.$version.snupkg" ] || problems+=" no-symbol-package"
    grep -q '<repository ' <<<"$nuspec" || problems+=" no-repository"
  fi
  if [ "$id" != BetterAuth ] && [ "$id" != BetterAuth.Templates ]; then
    grep -q "<dependency id=\"BetterAuth\" version=\"\[$version\]\"" <<<"$nuspec" || problems+=" BetterAuth-dependency-not-exact"
  fi
  [ -z "$problems" ] && ok "$id: license, readme, docs, symbols, dependencies" || ko "$id:$problems"
done
# Only the BetterAuth package may bring EF Core relational without a provider; providers come with their package.
if unzip -p "$feed/BetterAuth.$version.nupkg" BetterAuth.nuspec | grep '<dependency ' | grep -Eq 'Npgsql|Sqlite|StackExchange|MailKit|libphonenumber|Otp.NET|Fido2'; then
  ko "BetterAuth: carries no provider, Redis, MailKit, phone-number, OTP or WebAuthn dependency"
else
  ok "BetterAuth: carries no provider, Redis, MailKit, phone-number, OTP or WebAuthn dependency"
fi

# The local feed plus the machine's usual package source (for third-party dependencies).
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="better-auth-local" value="$feed" />
  </packageSources>
</configuration>
XML

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Runs a built app on a free port and drives it: sign-up, sign-in, the protected endpoint with and without a token.
smoke() {
  local name=$1 dll=$2 path=$3 port base out
  port=$(free_port); base="http://127.0.0.1:$port"; out="$work/$name-run"; mkdir -p "$out"
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$base" BetterAuth__BaseUrl="$base" \
    BetterAuth__Secret="package-smoke-secret-0123456789abcdef0123456789" BetterAuth__Database__MigrateOnStart=true \
    ConnectionStrings__Auth="Data Source=$out/app.db" BetterAuth__Database__ConnectionString="Data Source=$out/app.db" \
    dotnet "$dll" > "$out/server.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -s -o /dev/null "$base/api/auth/ok" && break; sleep 0.5; done
  local email="smoke-$RANDOM@example.com" status token
  status=$(curl -s -o "$out/sign-up.json" -w '%{http_code}' -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"correct-horse-battery\",\"name\":\"Smoke\"}" "$base/api/auth/sign-up/email")
  [ "$status" = 200 ] && ok "$name: sign-up" || { ko "$name: sign-up (HTTP $status)"; tail -n 20 "$out/server.log"; }
  status=$(curl -s -D "$out/sign-in.headers" -o "$out/sign-in.json" -w '%{http_code}' -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"correct-horse-battery\"}" "$base/api/auth/sign-in/email")
  token=$(grep -i '^set-auth-token:' "$out/sign-in.headers" | cut -d' ' -f2 | tr -d '\r')
  [ "$status" = 200 ] && [ -n "$token" ] && ok "$name: sign-in (bearer token issued)" || ko "$name: sign-in (HTTP $status)"
  status=$(curl -s -o "$out/me.json" -w '%{http_code}' -H "authorization: Bearer $token" "$base$path")
  [ "$status" = 200 ] && grep -q "\"$email\"" "$out/me.json" && ok "$name: GET $path as the signed-in user" || ko "$name: GET $path (HTTP $status)"
  status=$(curl -s -o /dev/null -w '%{http_code}' "$base$path")
  [ "$status" = 401 ] && ok "$name: GET $path without a session is 401" || ko "$name: GET $path without a session (HTTP $status)"
}

echo "== sample (samples/ProtectedApi) from the packages"
mkdir -p "$work/sample"
cp samples/ProtectedApi/*.cs samples/ProtectedApi/ProtectedApi.csproj "$work/sample/"
if (cd "$work/sample" && dotnet build -c Release -nologo -v q -p:BetterAuthPackageVersion="$version" > build.log 2>&1); then
  if grep -q 'ProjectReference' "$work/sample/obj/project.assets.json" 2>/dev/null || ! grep -q "\"BetterAuth/$version\"" "$work/sample/obj/project.assets.json"; then
    ko "sample: restored BetterAuth $version as a package"
  else ok "sample: builds from the packages"; fi
  smoke sample "$work/sample/bin/Release/net10.0/ProtectedApi.dll" /api/me
else
  tail -n 30 "$work/sample/build.log"; ko "sample: builds from the packages"
fi

echo "== dotnet new betterauth-api from BetterAuth.Templates"
hive="$work/template-hive"
if dotnet new install "$feed/BetterAuth.Templates.$version.nupkg" --debug:custom-hive "$hive" > "$work/template-install.log" 2>&1 &&
   (cd "$work" && dotnet new betterauth-api -o "$work/app" -n SmokeApi --debug:custom-hive "$hive" > "$work/template-new.log" 2>&1); then
  ok "template: installed and instantiated"
  if (cd "$work/app" && dotnet build -c Release -nologo -v q > build.log 2>&1) && grep -q "\"BetterAuth/$version\"" "$work/app/obj/project.assets.json"; then
    ok "template project: builds from the packages"
    smoke template "$work/app/bin/Release/net10.0/SmokeApi.dll" /api/me
  else
    tail -n 30 "$work/app/build.log"; ko "template project: builds from the packages"
  fi
else
  cat "$work/template-install.log" "$work/template-new.log" 2>/dev/null | tail -n 20; ko "template: installed and instantiated"
fi

echo "package smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
