#!/usr/bin/env bash
# One night of the approval flow (issue 14). The audit repository's base branch holds the approved
# state; the branch audit/nightly gets one commit per changed night; ONE pull request from it to the
# base shows everything awaiting approval, and merging it is the approval (docs/approval.md).
#
#   nightly-pr.sh [--repo DIR] [--base main] [--branch audit/nightly] [--remote origin] [--out DIR]
#                 [--dir snapshots] [--tenant NAME] [--resources a,b] [--config FILE]
#                 [--pr github|none] [--title TEXT] [-- more snapshot options]
#
# The GitHub action (action.yml) runs exactly this; so do the end-to-end test, cron and GitLab CI
# (docs/ci.md). The flow:
#   1. fetch the base (and audit/nightly when it exists); continue audit/nightly when it is not yet
#      merged into the base, else start it again at the base. A merged branch is an ancestor of
#      the base, so the new start is a fast-forward of it: nothing is ever pushed with --force.
#   2. balkan-audit snapshot --detailed-exitcode on it (reports: report.md, .html, .json in --out).
#   3. nothing committed: no push, no pull request, done. Otherwise push without --force (a
#      rejected push is an error, never retried with force).
#   4. the body: `balkan-audit diff <base> HEAD` (everything awaiting approval, perhaps several
#      nights) then the night's own report, within GitHub's 65,536-character limit.
#   5. with --pr github: create the one pull request, or edit the open one, with the GitHub CLI.
#   6. outputs to $GITHUB_OUTPUT when set: changed, high-events, report-md, report-html,
#      report-json, pr-body, pull-request. The snapshot appends its Markdown to
#      $GITHUB_STEP_SUMMARY itself.
#   7. exit with the snapshot's failure code (1 when an export failed) after pushing what it
#      committed; 0 when it succeeded, whether or not anything changed.
#
# The CLI: node "$BALKAN_AUDIT_CLI" when that is set (the action points it at its own build), else
# `balkan-audit` on PATH. API keys and BALKAN_AUDIT_REDACTION_KEY come from the environment.
set -euo pipefail

repo=. base=main branch=audit/nightly remote=origin out='' dir=snapshots tenant='' resources='' config=''
pr=github title=''
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --repo|--base|--branch|--remote|--out|--dir|--tenant|--resources|--config|--pr|--title)
      [ $# -ge 2 ] || { echo "nightly-pr: $1 needs a value" >&2; exit 1; }
      name=${1#--}; printf -v "$name" '%s' "$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "nightly-pr: unknown option $1 (snapshot options go after --)" >&2; exit 1 ;;
  esac
done
case $pr in github|none) ;; *) echo "nightly-pr: --pr must be github or none, received $pr" >&2; exit 1 ;; esac
# GitHub refuses a pull-request body over 65,536 characters (the tests lower it to see the summary).
body_limit=${NIGHTLY_PR_BODY_LIMIT:-65536}

log() { printf 'nightly-pr: %s\n' "$*" >&2; }
absolute() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }
cli() { if [ -n "${BALKAN_AUDIT_CLI:-}" ]; then node "$BALKAN_AUDIT_CLI" "$@"; else balkan-audit "$@"; fi; }
# The night's numbers from its change set (report.json), read with the Node the CLI runs on.
counts() {
  node -e 'const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")), s = c.summary;
    console.log([s.events.high, s.events.medium, s.events.low, s.added, s.removed, s.changed, c.to.date.slice(0, 10), c.tenant ?? ""].join(" "))' "$1"
}
# Characters as GitHub counts them, at most: UTF-16 code units are never fewer than code points.
chars() { node -e 'process.stdout.write(String(require("fs").readFileSync(process.argv[1], "utf8").length))' "$1"; }
output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi; }

[ -n "$out" ] || out=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/balkan-audit-XXXXXX")
out=$(absolute "$out")
[ -z "$config" ] || config=$(absolute "$config")
cd "$repo"
mkdir -p "$out"
# What a failed night did not write must not pass for tonight's (cron may reuse one --out).
rm -f "$out/report.md" "$out/report.html" "$out/report.json" "$out/awaiting.md" "$out/pr-body.md"

# 1. Where tonight's commit goes.
if [ "$(git rev-parse --is-shallow-repository)" = true ]; then
  log 'the checkout is shallow: fetching the history (the merge check and the diff need it)'
  git fetch --quiet --unshallow --no-tags "$remote"
fi
refspecs=("+refs/heads/$base:refs/remotes/$remote/$base")
if git ls-remote --exit-code --heads "$remote" "refs/heads/$branch" >/dev/null; then
  refspecs+=("+refs/heads/$branch:refs/remotes/$remote/$branch")
fi
git fetch --quiet --no-tags "$remote" "${refspecs[@]}"
base_commit=$(git rev-parse --verify "refs/remotes/$remote/$base^{commit}")
if [ ${#refspecs[@]} -eq 2 ] && ! git merge-base --is-ancestor "refs/remotes/$remote/$branch" "$base_commit"; then
  start=refs/remotes/$remote/$branch
  log "continuing $branch: $(git rev-list --count "$base_commit..$start") commit(s) await approval"
else
  start=$base_commit
  log "starting $branch at $base ($(git rev-parse --short "$base_commit"))"
fi
git checkout --quiet --no-track -B "$branch" "$start"

# 2. The night.
before=$(git rev-parse HEAD)
config_args=()
[ -z "$config" ] || config_args=(--config "$config")
snapshot_args=(snapshot --repo . --dir "$dir" --out "$out" --format md,html,json --detailed-exitcode ${config_args[@]+"${config_args[@]}"})
[ -z "$tenant" ] || snapshot_args+=(--tenant "$tenant")
[ -z "$resources" ] || snapshot_args+=(--resources "$resources")
code=0
cli "${snapshot_args[@]}" ${extra[@]+"${extra[@]}"} || code=$?
after=$(git rev-parse HEAD)
case $code in 0|2) status=0 ;; *) status=$code ;; esac

high=0 medium=0 low=0 added=0 removed=0 changed=0 date='' report_tenant=''
for format in md html json; do
  if [ -f "$out/report.$format" ]; then output "report-$format" "$out/report.$format"; fi
done
if [ -f "$out/report.json" ]; then read -r high medium low added removed changed date report_tenant < <(counts "$out/report.json"); fi
output high-events "$high"

# 3. Nothing committed: no push, no pull request.
if [ "$after" = "$before" ]; then
  output changed false
  if [ "$status" -eq 0 ]; then log 'nothing changed: no commit, no pull request'; else log "the snapshot failed (exit $code) and committed nothing"; fi
  exit "$status"
fi
output changed true
if ! git push --quiet "$remote" "HEAD:refs/heads/$branch"; then
  log "error: the push to $remote $branch was rejected (someone else moved the branch). Nothing was forced;"
  log "the next night continues from what $remote holds and finds tonight's changes again."
  exit 1
fi
log "pushed $(git rev-parse --short HEAD) to $remote $branch"

# 4. The body: everything awaiting approval, then the night's own change.
nights=$(git rev-list --count "$base_commit..HEAD" -- "$dir")
# Not appended to the job summary: that has the night's own report (the snapshot wrote it).
if ! GITHUB_STEP_SUMMARY='' cli diff "$base_commit" HEAD --repo . --dir "$dir" ${config_args[@]+"${config_args[@]}"} >"$out/awaiting.md"; then
  log "error: balkan-audit diff $base $branch failed: the night is pushed, the pull request is not updated"
  exit 1
fi
body=$out/pr-body.md
{
  printf '<!-- Written by balkan-audit every night (scripts/nightly-pr.sh): edits to this description are overwritten. -->\n'
  printf '**Awaiting approval:** %s nightly snapshot(s) on `%s` that `%s` does not hold yet. Merging this pull request approves them. Merge with a merge commit, not squash or rebase, so that each night stays in the history.\n\n' "$nights" "$branch" "$base"
} >"$body"
header_chars=$(chars "$body")
night_md=$out/report.md
night_summary() {
  printf '**Last night** (%s): %s added, %s removed, %s changed; events: %s high, %s medium, %s low. %s\n' \
    "$date" "$added" "$removed" "$changed" "$high" "$medium" "$low" "$1"
}
{
  if [ $((header_chars + $(chars "$out/awaiting.md") + 2000)) -le "$body_limit" ]; then
    cat "$out/awaiting.md"
  else
    printf 'The report of everything awaiting approval is too long for a pull-request description: run `balkan-audit diff %s %s` on a clone.\n' "$base" "$branch"
  fi
  printf '\n---\n\n'
} >>"$body"
if [ "$nights" -le 1 ]; then
  night_summary 'It is all of the above: one night awaits approval.' >>"$body"
else
  section=$out/night-section.md
  { printf '<details><summary>Last night'"'"'s own change</summary>\n\n'; cat "$night_md"; printf '\n</details>\n'; } >"$section"
  if [ $(($(chars "$body") + $(chars "$section"))) -le "$body_limit" ]; then
    cat "$section" >>"$body"
  else
    night_summary 'Its full report is too long to show here as well: it is in the run'"'"'s job summary and its report artifacts.' >>"$body"
  fi
  rm -f "$section"
fi
output pr-body "$body"

# 5. The one pull request.
if [ "$pr" = github ]; then
  # A fork can name a branch audit/nightly too: only a pull request from this repository counts.
  number=$(gh pr list --head "$branch" --base "$base" --state open --json number,isCrossRepository \
    --jq '[.[] | select(.isCrossRepository | not)][0].number // empty')
  if [ -z "$number" ]; then
    [ -n "$title" ] || title="Access configuration awaiting approval${report_tenant:+ ($report_tenant)}"
    url=$(gh pr create --base "$base" --head "$branch" --title "$title" --body-file "$body")
    number=${url##*/}
    log "opened pull request #$number"
  else
    gh pr edit "$number" --body-file "$body" >/dev/null
    log "updated pull request #$number"
  fi
  output pull-request "$number"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then printf 'Awaiting approval in pull request #%s.\n' "$number" >>"$GITHUB_STEP_SUMMARY"; fi
fi
exit "$status"
