# Shared by scripts/start and scripts/test: system packages and the venv.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${YISHI_VENV:-$ROOT/.venv}"

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "需要管理员权限安装系统软件包 / root is needed to install: $*" >&2; return 1; fi
}

install_system_packages() {  # $1: run | test (test includes run)
    local want=() kind pkgs
    while read -r kind pkgs; do
        case "$kind" in "#"*|"") continue ;; esac
        if [ "$kind" = run ] || [ "$1" = test ]; then want+=($pkgs); fi
    done < "$ROOT/scripts/system-packages.txt"
    local missing=()
    for p in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo ">> apt-get install ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

install_python_env() {  # $1: extras, e.g. "" or "[test]"
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV"
    fi
    local stamp="$VENV/.yishi-installed$1"
    if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
        echo ">> pip install -e .$1"
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -e "$ROOT$1"
        touch "$stamp"
    fi
}
