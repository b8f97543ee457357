#!/usr/bin/env bash
# Builds mognad's packages into target/dist/:
#   mognad-<version>-x86_64-linux.tar.gz  a portable binary (glibc 2.28 or
#       newer: RHEL 8+, Debian 10+, Ubuntu 20.04+) with the man page, shell
#       completions, licences and the sample input;
#   mognad_<version>-1_amd64.deb and mognad-<version>-1.x86_64.rpm  the same
#       binary as /usr/bin/mognad, with a systemd service and timer that run
#       it as the system user mognad.
# Installs what it needs from the registries when missing: zig (the PyPI
# package ziglang), cargo-zigbuild, cargo-deb and cargo-generate-rpm. The
# build is a release build from scratch in target/ (some 20-30 minutes on
# two cores the first time). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR="$root/target"
triple=x86_64-unknown-linux-gnu
glibc=2.28
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
dist=$CARGO_TARGET_DIR/dist
stage=$dist/stage

python3 -m ziglang version >/dev/null 2>&1 || python3 -m pip install --quiet ziglang
for tool in cargo-zigbuild cargo-deb cargo-generate-rpm; do
    command -v "$tool" >/dev/null || cargo install --locked "$tool"
done

cargo zigbuild --release --locked --target "$triple.$glibc"
bin=$CARGO_TARGET_DIR/$triple/release/mognad

rm -rf "$dist"
mkdir -p "$stage/completions"
"$bin" man | gzip -9n > "$stage/mognad.1.gz"
"$bin" completions bash > "$stage/completions/mognad.bash"
"$bin" completions zsh > "$stage/completions/_mognad"
"$bin" completions fish > "$stage/completions/mognad.fish"
tools/third-party.py > "$stage/THIRD-PARTY.md"

# the portable tarball
name=mognad-$version-x86_64-linux
tree=$dist/$name
mkdir -p "$tree"
cp "$bin" "$tree/"
cp "$stage/mognad.1.gz" "$tree/"
cp -r "$stage/completions" "$tree/"
cp README.md LICENSE-MIT LICENSE-APACHE "$stage/THIRD-PARTY.md" "$tree/"
cp src/defaults/fonts/OFL.txt "$tree/fonts-OFL.txt"
cp -r input "$tree/input"
cp -r packaging/systemd "$tree/systemd"
tar -C "$dist" --owner=0 --group=0 --sort=name -czf "$dist/$name.tar.gz" "$name"

# the packages, from the same binary
cargo deb --no-build --no-strip --target "$triple" --output "$dist/"
cargo generate-rpm --target "$triple" --output "$dist/"

cd "$dist"
for f in "$name.tar.gz" *.deb *.rpm; do
    printf '%s  %s\n' "$(du -h "$f" | cut -f1)" "$f"
done
echo "glibc needed: $(objdump -T "$bin" | grep -o 'GLIBC_[0-9.]*' | sort -Vu | tail -1)"
