#!/usr/bin/env bash
# Cloudflare Pages' build command for a repository that holds only a critique site
# (critique.toml, content/, optional templates/ and static/). Copy it to the site's root.
#
# Pages project → Settings → Build:
#   Build command           bash cloudflare-pages.sh
#   Build output directory  public
# Settings → Variables and secrets (plain text variables):
#   CRITIQUE_GIT       required, both environments: the git URL of critique's source,
#                      readable without credentials
#   CRITIQUE_REF       optional: tag:NAME, branch:NAME or rev:COMMIT (default branch:main).
#                      Pin a tag (tag:v0.1.0) so that a change to critique cannot change the
#                      site unannounced
#   CRITIQUE_BASE_URL  Production environment only: the site's address, such as
#                      https://reviews.example.org/ or https://PROJECT.pages.dev/. Previews,
#                      without it, build under their own $CF_PAGES_URL.
#
# The install cost, plainly: Pages' build cache keeps only the folders of the package managers
# and frameworks it knows, not a binary of our own, so every build installs Rust (minimal
# profile) and compiles critique: a few minutes on top of the site's own build (about two
# minutes of compiling on two cores, plus downloads), within Pages' 20-minute limit. To avoid
# it, build in CI, where the binary can be cached (github-pages.yml shows how), and upload
# public/ with `wrangler pages deploy public`.
set -euo pipefail

die() {
  echo "error: $*" >&2
  exit 1
}

# Which critique: CRITIQUE_GIT and CRITIQUE_REF.
[ -n "${CRITIQUE_GIT:-}" ] ||
  die "CRITIQUE_GIT is not set: set it in the Pages project's variables to the git URL of critique's source"
ref="${CRITIQUE_REF:-branch:main}"
case "$ref" in
  tag:?* | branch:?* | rev:?*) kind="${ref%%:*}" name="${ref#*:}" ;;
  *) die "CRITIQUE_REF is '$ref': write tag:NAME, branch:NAME or rev:COMMIT" ;;
esac

# Production under CRITIQUE_BASE_URL; a preview under its own address. Checked before the
# install, so that a misconfigured project fails in seconds.
base="${CRITIQUE_BASE_URL:-${CF_PAGES_URL:-}}"
[ -n "$base" ] || die "neither CRITIQUE_BASE_URL nor CF_PAGES_URL is set: is this running on Cloudflare Pages?"

echo "installing critique from $CRITIQUE_GIT, $kind $name"
if ! command -v rustup >/dev/null; then
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
    sh -s -- -y --profile minimal --default-toolchain none --no-modify-path
  export PATH="$HOME/.cargo/bin:$PATH"
fi
# critique needs a recent Rust (rust-version in its Cargo.toml).
rustup toolchain install stable --profile minimal --no-self-update
root="$(mktemp -d)"
cargo +stable install --locked --no-default-features --root "$root" \
  --git "$CRITIQUE_GIT" "--$kind" "$name" critique
critique="$root/bin/critique"
"$critique" --version

echo "building under ${base%/}/"
"$critique" check
"$critique" build --base-url "${base%/}/"
