#!/usr/bin/env bash
# Installs Xuequ on a Debian host: the `xuequ` binary, its SQL migrations, a configuration file and
# the systemd units of the nightly batch.
#
#   deploy/install.sh [--prefix /opt/xuequ] [--config-dir /etc/xuequ] [--binary PATH] [--no-deps]
#                     [--systemd-dir /etc/systemd/system]
#
#   PREFIX/bin/xuequ                          the release binary (built here unless --binary is given)
#   PREFIX/share/xuequ/sql/                   the migrations (`xuequ db migrate` finds them beside the binary)
#   PREFIX/share/xuequ/systemd/               xuequ-nightly.service and .timer, paths filled in
#   PREFIX/share/doc/xuequ/                   README and docs
#   CONFIG_DIR/xuequ.toml                     the configuration (an existing one is kept; the new
#                                             example goes beside it as xuequ.toml.example)
#
# With --systemd-dir the units are also copied there (then: systemctl daemon-reload; systemctl
# enable --now xuequ-nightly.timer). Runtime packages (libpq5; coinor-libcbc3 for `rotation plan`)
# are installed with apt-get when missing, unless --no-deps. Idempotent: run it again to upgrade,
# then `xuequ db migrate` and `xuequ doctor`.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

prefix=/opt/xuequ
config_dir=/etc/xuequ
binary=
deps=1
systemd_dir=
while (($#)); do
  case $1 in
    --prefix) prefix=$2; shift 2 ;;
    --config-dir) config_dir=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --no-deps) deps=0; shift ;;
    --systemd-dir) systemd_dir=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $prefix = /* ]] || prefix=$PWD/$prefix
[[ $config_dir = /* ]] || config_dir=$PWD/$config_dir
# the paths go into systemd units: characters that sed or systemd would read as special are refused
for p in "$prefix" "$config_dir"; do
  if [[ $p == *[\\\#\&%\"]* ]]; then echo "install.sh: the path $p holds one of \\ # & % \" (not allowed in a unit file path)" >&2; exit 2; fi
done

if ((deps)); then
  need=()
  ldconfig -p 2>/dev/null | grep -q 'libpq\.so\.5' || need+=(libpq5)
  ldconfig -p 2>/dev/null | grep -q 'libCbcSolver\.so' || need+=(coinor-libcbc3)
  if ((${#need[@]})); then
    echo "install.sh: installing ${need[*]}" >&2
    SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

if [[ -z $binary ]]; then
  echo "install.sh: building the release binary …" >&2
  (cd "$src" && swift build -c release --static-swift-stdlib --product xuequ >/dev/null)
  binary=$src/.build/release/xuequ
fi
[[ -x $binary ]] || { echo "install.sh: $binary is not an executable" >&2; exit 1; }

install -d "$prefix/bin" "$prefix/share/xuequ/sql" "$prefix/share/xuequ/systemd" "$prefix/share/doc/xuequ" "$config_dir"
install -m 0755 "$binary" "$prefix/bin/xuequ.new" && mv -f "$prefix/bin/xuequ.new" "$prefix/bin/xuequ"
# the migrations: exactly this version's files (an old file that was renamed must not linger)
rm -f "$prefix/share/xuequ/sql/"*.sql
install -m 0644 "$src"/sql/*.sql "$prefix/share/xuequ/sql/"
install -m 0644 "$src/README.md" "$prefix/share/doc/xuequ/"
install -m 0644 "$src"/docs/*.md "$prefix/share/doc/xuequ/"
for unit in xuequ-nightly.service xuequ-nightly.timer; do
  sed -e "s#@PREFIX@#$prefix#g" -e "s#@CONFIG@#$config_dir/xuequ.toml#g" -e "s#@CONFIGDIR@#$config_dir#g" \
    "$src/deploy/systemd/$unit" >"$prefix/share/xuequ/systemd/$unit"
  chmod 0644 "$prefix/share/xuequ/systemd/$unit"
done
# the service runs as the xuequ user, which must read the configuration (0640, group xuequ)
if [[ -n $systemd_dir && $(id -u) -eq 0 ]] && ! id xuequ >/dev/null 2>&1; then
  useradd --system --home /nonexistent --shell /usr/sbin/nologin xuequ
fi
group=()
if [[ $(id -u) -eq 0 ]] && getent group xuequ >/dev/null; then group=(-g xuequ); fi
if [[ -e $config_dir/xuequ.toml ]]; then
  install -m 0640 "${group[@]}" "$src/deploy/xuequ.toml" "$config_dir/xuequ.toml.example"
  echo "install.sh: kept $config_dir/xuequ.toml (the new example is xuequ.toml.example)" >&2
else
  install -m 0640 "${group[@]}" "$src/deploy/xuequ.toml" "$config_dir/xuequ.toml"
fi
if [[ -n $systemd_dir ]]; then
  install -d "$systemd_dir"
  install -m 0644 "$prefix/share/xuequ/systemd/"xuequ-nightly.* "$systemd_dir/"
  echo "install.sh: units in $systemd_dir; now: systemctl daemon-reload && systemctl enable --now xuequ-nightly.timer" >&2
  echo "install.sh: a database password goes in $config_dir/pgpass (owner xuequ, mode 0600; libpq's format)" >&2
fi
echo "installed: $prefix/bin/xuequ ($("$prefix/bin/xuequ" --version 2>/dev/null || echo xuequ)), config $config_dir/xuequ.toml"
echo "next: set database.url in $config_dir/xuequ.toml (or XUEQU_DATABASE_URL), then: $prefix/bin/xuequ db migrate && $prefix/bin/xuequ doctor"
