#!/usr/bin/env bash
# Netlify's build command for a repository that holds only a critique site (critique.toml,
# content/, optional templates/ and static/). Copy it to the site's root beside netlify.toml,
# which runs it as `bash netlify-build.sh`.
#
# Environment variables (Site configuration → Environment variables, or [build.environment]
# in netlify.toml):
#   CRITIQUE_GIT  required: the git URL of critique's source, readable without credentials
#   CRITIQUE_REF  optional: tag:NAME, branch:NAME or rev:COMMIT (default branch:main). Pin a
#                 tag (tag:v0.1.0) so that a change to critique cannot change the site
#                 unannounced; a branch is followed commit by commit.
#
# The first build compiles critique (a few minutes). The binary is then kept in Netlify's
# build cache ($NETLIFY_CACHE_DIR, /opt/build/cache) and reused until CRITIQUE_GIT or
# CRITIQUE_REF changes or, for a branch, the branch moves; "Clear cache and deploy site"
# compiles it again. Production builds under $URL, deploy previews and branch deploys under
# their own $DEPLOY_PRIME_URL.
set -euo pipefail

die() {
  echo "error: $*" >&2
  exit 1
}

# Which critique: CRITIQUE_GIT and CRITIQUE_REF.
[ -n "${CRITIQUE_GIT:-}" ] ||
  die "CRITIQUE_GIT is not set: set it in the site's environment variables to the git URL of critique's source"
ref="${CRITIQUE_REF:-branch:main}"
case "$ref" in
  tag:?* | branch:?* | rev:?*) kind="${ref%%:*}" name="${ref#*:}" ;;
  *) die "CRITIQUE_REF is '$ref': write tag:NAME, branch:NAME or rev:COMMIT" ;;
esac
if [ "$kind" = branch ]; then
  # A branch moves: install the commit it points at now, and key the cache on it.
  commit="$(git ls-remote "$CRITIQUE_GIT" "refs/heads/$name" | cut -f1)"
  [ -n "$commit" ] || die "no branch '$name' at $CRITIQUE_GIT"
  kind=rev name="$commit"
fi

# The cached binary, and what it was built from. Outside Netlify's build image (a local
# `netlify build`) the cache folder may be missing or read-only: the user's cache then.
cache="${NETLIFY_CACHE_DIR:-/opt/build/cache}/critique"
mkdir -p "$cache" 2>/dev/null || cache="${XDG_CACHE_HOME:-$HOME/.cache}/critique"
key="$(uname -sm) $CRITIQUE_GIT $kind $name"
critique="$cache/critique"

if [ -x "$critique" ] && [ "$(cat "$cache/key" 2>/dev/null)" = "$key" ]; then
  echo "critique from the build cache ($kind $name)"
else
  echo "installing critique from $CRITIQUE_GIT, $kind $name"
  if ! command -v rustup >/dev/null; then
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
      sh -s -- -y --profile minimal --default-toolchain none --no-modify-path
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  # critique needs a recent Rust (rust-version in its Cargo.toml): the image's default may be older.
  rustup toolchain install stable --profile minimal --no-self-update
  root="$(mktemp -d)"
  cargo +stable install --locked --no-default-features --root "$root" \
    --git "$CRITIQUE_GIT" "--$kind" "$name" critique
  mkdir -p "$cache"
  install -m 755 "$root/bin/critique" "$critique"
  printf '%s' "$key" >"$cache/key"
  rm -rf "$root"
fi
"$critique" --version

# Production under its address; every other context (deploy-preview, branch-deploy) under its own.
if [ "${CONTEXT:-}" = production ]; then
  base="${URL:-}"
else
  base="${DEPLOY_PRIME_URL:-}"
fi
[ -n "$base" ] || die "neither URL nor DEPLOY_PRIME_URL is set: is this running on Netlify?"

"$critique" check
"$critique" build --base-url "${base%/}/"
