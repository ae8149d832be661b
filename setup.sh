#!/usr/bin/env bash
# Set up everything codesign needs on this machine; idempotent (a second run takes
# seconds). Installs ngspice from Debian, builds .venv (Python >= 3.11, the package,
# its tests and what draws the docs' schematics) and .venv-lava (Python 3.10 with
# lava-nc, for the Lava worker).
# Where no Python 3.10 exists, it says so and carries on: only the Lava backend
# needs it. Any other failing step stops the script with a non-zero status.
set -euo pipefail
cd "$(dirname "$0")"

say() { printf 'setup: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# --- ngspice (Debian packages; version 39 on bookworm) --------------------------
apt_packages=(ngspice libngspice0 libngspice0-dev)
missing=()
for package in "${apt_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    say "installing ${missing[*]} with apt-get"
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "need root (or sudo) to apt-get install ${missing[*]}"
        sudo_cmd=(sudo)
    fi
    "${sudo_cmd[@]}" apt-get update -qq || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
        "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
fi

# --- .venv: the package on Python >= 3.11 -----------------------------------------
find_core_python() {
    local candidate
    for candidate in python3 python3.13 python3.12 python3.11; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

stamp_of() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

core_stamp=$(stamp_of pyproject.toml constraints.txt)
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/.setup-stamp 2>/dev/null)" != "$core_stamp" ]; then
    python=$(find_core_python) || die "no Python >= 3.11 found on PATH"
    say "building .venv with $("$python" --version 2>&1)"
    [ -x .venv/bin/python ] || "$python" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -c constraints.txt -e '.[test,bench,docs]'
    echo "$core_stamp" > .venv/.setup-stamp
fi

# --- .venv-lava: Python 3.10 with lava-nc, for the Lava worker -------------------
find_python310() {
    local candidate root
    if command -v pyenv >/dev/null 2>&1; then
        root=$(pyenv root)
        for candidate in "$root"/versions/3.10.*/bin/python3.10; do
            [ -x "$candidate" ] && { echo "$candidate"; return 0; }
        done
    fi
    for candidate in python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

lava_requirements=codesign/backends/lava/worker-requirements.txt
if [ -f "$lava_requirements" ]; then
    lava_stamp=$(stamp_of "$lava_requirements")
    if [ ! -x .venv-lava/bin/python ] || [ "$(cat .venv-lava/.setup-stamp 2>/dev/null)" != "$lava_stamp" ]; then
        if python310=$(find_python310); then
            say "building .venv-lava with $("$python310" --version 2>&1)"
            [ -x .venv-lava/bin/python ] || "$python310" -m venv .venv-lava
            .venv-lava/bin/python -m pip install --quiet --upgrade pip
            .venv-lava/bin/python -m pip install --quiet -r "$lava_requirements"
            echo "$lava_stamp" > .venv-lava/.setup-stamp
        else
            say "WARNING: no Python 3.10 found, so the Lava backend is unavailable."
            say "  lava-nc runs only on Python 3.10. Install one (e.g. 'pyenv install 3.10')"
            say "  and run ./setup.sh again; everything else works without it."
        fi
    fi
fi
say "ready"
