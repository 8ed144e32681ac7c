#!/usr/bin/env bash
# Rewrites each library's PublicAPI.Unshipped.txt from the code: every public symbol that PublicAPI.Shipped.txt does
# not list. Run it after changing the public API (the build fails with RS0016/RS0017 until then), then review the
# diff: it is the change to the contract.
#
# How: the Unshipped lists are emptied and the libraries built once with warnings allowed; the analyzer then reports
# every public symbol missing from the lists as RS0016, whose message quotes the symbol exactly as the list spells
# it, and those lines become the new lists. A library (ProjectType Library) without the two files gets them.
# PublicAPI.Shipped.txt is never rewritten: a shipped symbol that is gone is RS0017, reported here and left to a
# person (the analyzer's docs: a *REMOVED* line in Unshipped), as is any other diagnostic of the analyzer.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

mapfile -t projects < <(grep -l '<ProjectType>Library</ProjectType>' */*.csproj | sort)
if [ "${#projects[@]}" -eq 0 ]; then
  echo "update_public_api.sh: no library project found" >&2
  exit 1
fi

workspace=$(mktemp -d)
trap 'rm -rf "$workspace"' EXIT
dotnet new sln --format sln -o "$workspace" -n Libraries >/dev/null
for project in "${projects[@]}"; do
  dir=$(dirname "$project")
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  # Rewriting the file also makes the build recompile the project, so the analyzer runs on each.
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
  dotnet sln "$workspace/Libraries.sln" add "$project" >/dev/null
done

echo "update_public_api.sh: building ${projects[*]%%/*}"
# WarningsAsErrors= clears eng/Library.targets' RS0016;RS0017, so every library builds and reports all of its symbols.
if ! dotnet build "$workspace/Libraries.sln" -c Release -m:1 -p:UseSharedCompilation=false \
    -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= -clp:NoSummary >"$workspace/build.log" 2>&1; then
  grep -E ': error ' "$workspace/build.log" | sort -u >&2 || tail -n 30 "$workspace/build.log" >&2
  echo "update_public_api.sh: the libraries do not build (above); the Unshipped lists are left empty" >&2
  exit 1
fi

status=0
written=0
for project in "${projects[@]}"; do
  dir=$(dirname "$project")
  # MSBuild ends each diagnostic line with the project's full path in brackets; project names are unique here.
  diagnostics=$(grep -E "/$(basename "$project")\]\$" "$workspace/build.log" || true)
  # "...: warning RS0016: Symbol 'SYMBOL' is not part of the declared public API (...) [PROJECT]".
  {
    printf '#nullable enable\n'
    sed -n "s/.*: warning RS0016: Symbol '\(.*\)' is not part of the declared public API.*/\1/p" <<<"$diagnostics" \
      | LC_ALL=C sort -u
  } > "$dir/PublicAPI.Unshipped.txt"
  written=$(( written + $(wc -l < "$dir/PublicAPI.Unshipped.txt") - 1 ))
  if grep -E ': warning RS0[0-9]+:' <<<"$diagnostics" | grep -v ': warning RS0016:' | sort -u >&2; then
    echo "update_public_api.sh: the analyzer reports more than missing symbols for $project (above): fix those by hand" >&2
    status=1
  fi
done
# Every symbol of every RS0016 (one per project, though partial types report at each declaration) must be in a list.
reported=$(sed -n "s/.*: warning RS0016: Symbol '\(.*\)' is not part of the declared public API.*\(\[.*\]\)$/\2 \1/p" \
  "$workspace/build.log" | LC_ALL=C sort -u | wc -l)
if [ "$written" -ne "$reported" ]; then
  echo "update_public_api.sh: the build reported $reported missing symbols but $written were written" >&2
  status=1
fi
git --no-pager diff --stat -- '*/PublicAPI.*.txt'
exit "$status"
