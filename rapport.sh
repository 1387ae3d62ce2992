#!/usr/bin/env bash
# Set up what is missing, then run Rapport or its tests.
#   bash rapport.sh run [--demo] [--db PATH]   open the app (sample clients with --demo)
#   bash rapport.sh test [PYTEST ARGS]         ruff, then the whole pytest suite
#   bash rapport.sh test-at MOMENT [ARGS]      the suite again with the system clock at MOMENT
#   bash rapport.sh screenshots                 render docs/screenshots/ from the real window
#   bash rapport.sh package                     build dist/rapport_*.deb and dist/rapport-*.tar.gz
set -euo pipefail
cd "$(dirname "$0")"

VENV=.venv
PYTHON=${PYTHON:-python3}

# Qt's xcb platform (a real window, or Xvfb) needs these system libraries; the tests
# also run a real notification daemon (dunst) on a private D-Bus session bus, and
# libfaketime (faketime) to set the clock elsewhere, or step it back under a scheduler.
APT_PACKAGES=(
    xvfb xauth dbus dbus-x11 dunst libnotify-bin xdg-utils
    libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xinerama0
    libxcb-xkb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-shape0 libxcb-randr0
    libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-dejavu-core
    fonts-wqy-microhei  # Chinese, Japanese and Korean names in screenshots and tests
    faketime
    gnome-keyring  # a real Secret Service for the account passwords in tests
    poppler-utils  # pdftotext and pdftoppm read the printed cards in tests/test_cards.py
    # Packaging: PyInstaller bundles Debian's python3 from its shared library (libpython3-dev
    # brings it) and strips the bundle with binutils; the tests validate the menu entry and
    # metainfo; the .deb depends on the Wayland client libraries.
    libpython3-dev binutils desktop-file-utils appstream
    libwayland-client0 libwayland-cursor0 libwayland-egl1
)

ensure_system_packages() {
    command -v dpkg-query >/dev/null || return 0  # not Debian: install Qt's libraries yourself
    local missing=()
    for package in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
            || missing+=("$package")
    done
    "$PYTHON" -m venv --help >/dev/null 2>&1 || missing+=(python3-venv)
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing system packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}

ensure_venv() {
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    if [ ! -f "$VENV/.installed" ] || [ pyproject.toml -nt "$VENV/.installed" ]; then
        "$VENV/bin/pip" install --quiet --upgrade pip
        "$VENV/bin/pip" install --quiet -e '.[test]'
        touch "$VENV/.installed"
    fi
}

run_headless() {
    # Without a screen, give the command a virtual one.
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        xvfb-run -a -s "-screen 0 1920x1080x24" "$@"
    else
        "$@"
    fi
}

command=${1:-run}
shift || true
ensure_system_packages
ensure_venv
case "$command" in
    run) exec "$VENV/bin/python" main.py "$@" ;;
    test)
        "$VENV/bin/ruff" check .
        "$VENV/bin/ruff" format --check .
        # A private session bus: the tests' notifications never reach a real desktop.
        run_headless dbus-run-session -- "$VENV/bin/python" -m pytest "$@"
        ;;
    test-at)
        # libfaketime starts the clock at MOMENT and lets it run on from there. (Leaving
        # the monotonic clock unfaked makes libfaketime 0.9.10 fail every sleep with EINVAL.)
        # A test that reads the real date instead of its own clock fails here.
        moment=${1:?usage: bash rapport.sh test-at "YYYY-MM-DD HH:MM:SS" [PYTEST ARGS]}
        shift
        run_headless dbus-run-session -- faketime -f "@$moment" "$VENV/bin/python" -m pytest "$@"
        ;;
    screenshots) run_headless "$VENV/bin/python" tools/screenshots.py ;;
    package) "$VENV/bin/python" packaging/make_packages.py ;;
    *) echo "usage: bash rapport.sh run|test|test-at|screenshots|package [args]" >&2; exit 2 ;;
esac
