# Sourced by the bench scripts that install a Debian package they need when it is missing (bench/run.sh: chromium
# for the runs with open pages; bench/wrk-compare.sh: wrk), from the repository root.
# apt_install WHAT PACKAGE...: reads the package lists first (on a new machine they are empty, and an install before
# them fails with "Unable to locate package"), then installs, as root directly or through sudo; exits with a message
# naming WHAT when either fails.
apt_install() {
  local what=$1; shift
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  echo "Installing Debian's $* for $what (apt-get install $*)…"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
    || { echo "bench: could not install $* (apt-get install $*), needed for $what" >&2; exit 1; }
}
