#!/usr/bin/env bash
# Installs what Todoku needs, idempotently, and says what it does.
#   scripts/setup.sh serve   # Rust toolchain + wasm target, trunk, wasm-bindgen-cli, wasm-opt
#   scripts/setup.sh test    # the above + Chromium, ChromeDriver, Knot, dnsdist, Playwright
# Versions are pinned here and in Cargo.toml / package-lock.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TRUNK_VERSION=0.22.1
CARGO_FUZZ_VERSION=0.13.2
# Must equal the wasm-bindgen version in Cargo.lock (pinned in Cargo.toml).
WASM_BINDGEN_VERSION=0.2.130
APT_PACKAGES=(chromium chromium-driver knot knot-dnsutils dnsdist curl fonts-ipafont-gothic openssl)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

mode=${1:-test}
case "$mode" in serve|test) ;; *) die "usage: scripts/setup.sh serve|test" ;; esac

# --- Rust toolchain pinned by rust-toolchain.toml ------------------------------
command -v rustup >/dev/null || die "rustup is missing: install it from https://rustup.rs and run this again"
channel=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
if rustup run "$channel" rustc --version >/dev/null 2>&1 \
   && rustup target list --installed --toolchain "$channel" | grep -qx wasm32-unknown-unknown \
   && rustup component list --installed --toolchain "$channel" | grep -q '^clippy'; then
  say "Rust $channel with wasm32-unknown-unknown, rustfmt, clippy: present"
else
  say "installing Rust $channel with wasm32-unknown-unknown, rustfmt, clippy (rustup toolchain install)"
  rustup toolchain install
fi

# --- cargo-installed tools -------------------------------------------------------
cargo_bin=${CARGO_HOME:-$HOME/.cargo}/bin
export PATH="$cargo_bin:$PATH"
if [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then
  say "trunk $TRUNK_VERSION: present"
else
  say "installing trunk $TRUNK_VERSION (cargo install, ~10 min on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] \
   && command -v wasm-bindgen-test-runner >/dev/null; then
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present"
else
  # Not --locked: one of its locked dependencies is gone from the registry.
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (cargo install, ~3 min)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# --- fuzzing (tests only): a dated nightly Rust and cargo-fuzz ------------------------
# The nightly is pinned by date in tests/fuzz/nightly (read by scripts/test.sh
# too): a machine's own "nightly" may be too old for the workspace's
# rust-version, and a moving one changes under us.
if [ "$mode" = test ]; then
  fuzz_nightly=$(tr -d ' \n' < tests/fuzz/nightly)
  [[ $fuzz_nightly =~ ^nightly-[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] \
    || die "tests/fuzz/nightly must name a dated nightly (nightly-YYYY-MM-DD), not '$fuzz_nightly'"
  if rustup run "$fuzz_nightly" rustc --version >/dev/null 2>&1; then
    say "Rust $fuzz_nightly (for cargo-fuzz): present"
  else
    say "installing Rust $fuzz_nightly, minimal profile (for cargo-fuzz)"
    rustup toolchain install "$fuzz_nightly" --profile minimal
  fi
  if [ "$(cargo fuzz --version 2>/dev/null)" = "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    say "cargo-fuzz $CARGO_FUZZ_VERSION: present"
  else
    say "installing cargo-fuzz $CARGO_FUZZ_VERSION (cargo install, ~2 min)"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
  fi
fi

# --- Debian packages (tests only) -------------------------------------------------
if [ "$mode" = test ]; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "Debian packages ${APT_PACKAGES[*]}: present"
  elif command -v apt-get >/dev/null; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    say "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    die "please install: Chromium + ChromeDriver, Knot DNS (knotd, kdig), dnsdist 1.7+, curl (missing: ${missing[*]})"
  fi
fi

# --- npm tools: wasm-opt (binaryen) for the release build, Playwright for tests ---
command -v npm >/dev/null || die "Node.js 20+ with npm is missing: install it (e.g. apt-get install nodejs npm) and run this again"
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.todoku-lock-sum 2>/dev/null)" = "$lock_sum" ]; then
  say "npm packages (binaryen, @playwright/test, axe-core): present"
else
  say "installing npm packages from package-lock.json (npm ci: binaryen for wasm-opt, @playwright/test, axe-core)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
  echo "$lock_sum" > node_modules/.todoku-lock-sum
fi
say "done ($mode)"
