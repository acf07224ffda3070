#!/usr/bin/env bash
# Mode for Java: one entry point for the README's commands.
#
#   ./build.sh run  [worker options]   build, then run the tutorial under the Worker
#   ./build.sh test                    build and run the whole test suite
#   ./build.sh bench [args]            build, then run the benchmark harness (see docs/performance.md)
#   ./build.sh mvn ARGS...             run the Maven Wrapper with a JDK >= 21 (any goal)
#   ./build.sh java-home               print the JDK >= 21 this script uses
#
# The default `java` on a machine may be older than 21. This script finds a JDK >= 21 without the
# user setting JAVA_HOME: JAVA_HOME if it is new enough, else `java` on the PATH, else the newest
# JDK >= 21 in the usual install directories (read from each JDK's `release` file).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

# major version of the JDK at $1 (reads $1/release), or 0
jdk_major() {
  local rel="$1/release" v
  [ -r "$rel" ] && [ -x "$1/bin/javac" ] || { echo 0; return; }
  v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$rel")
  v=${v#1.}
  echo "${v%%[.+-]*}" | grep -E '^[0-9]+$' || echo 0
}

pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ "$(jdk_major "$JAVA_HOME")" -ge 21 ]; then echo "$JAVA_HOME"; return; fi
  local onpath
  if onpath=$(command -v javac 2>/dev/null); then
    onpath=$(dirname "$(dirname "$(readlink -f "$onpath")")")
    if [ "$(jdk_major "$onpath")" -ge 21 ]; then echo "$onpath"; return; fi
  fi
  local best="" bestv=0 d v
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
           "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$d" ] || continue
    v=$(jdk_major "$d")
    if [ "$v" -ge 21 ] && [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
  done
  [ -n "$best" ] && echo "$best"
}

jdk=$(pick_jdk || true)
if [ -z "$jdk" ]; then
  cat >&2 <<'MSG'
Mode for Java needs a JDK 21 or newer, and none was found.
  Looked at: $JAVA_HOME, the javac on your PATH, /usr/lib/jvm, /usr/java, /opt/java, ~/.sdkman, ~/.jdks.
  Install one, for example:
    Debian/Ubuntu:  sudo apt-get install openjdk-21-jdk   (or temurin-21-jdk / temurin-25-jdk from Adoptium)
    macOS:          brew install openjdk@21
    SDKMAN:         sdk install java 21-tem
  or point JAVA_HOME at an installed JDK >= 21.
MSG
  exit 1
fi
export JAVA_HOME="$jdk"
export PATH="$JAVA_HOME/bin:$PATH"

mvnw() { "$here/mvnw" -B --no-transfer-progress "$@"; }

# builds MODULE (and what it needs) without tests, then runs MAIN on its class path (plus EXTRA_CP)
# with the args. The build is quiet, so say first what is happening: the first run downloads Maven
# and the dependencies and takes a minute or more.
launch() {
  local module=$1 main=$2 extra_cp=$3
  shift 3
  if [ -f "$module/target/classpath.txt" ]; then
    echo "Building Mode for Java ($module and what it needs)..." >&2
  else
    echo "Building Mode for Java (first run: the Maven Wrapper downloads Maven and the dependencies, about a minute or more)..." >&2
  fi
  # no tests, no sources or javadoc jars: only what runs
  mvnw -q -DskipTests -Dmaven.source.skip=true -Dmaven.javadoc.skip=true -Dmode.stage.skip=true \
    -pl "$module" -am package
  echo "Starting $main" >&2
  exec "$JAVA_HOME/bin/java" -cp "$(cat "$module/target/classpath.txt"):$module/target/classes$extra_cp" "$main" "$@"
}

cmd=${1:-help}
[ $# -gt 0 ] && shift
case "$cmd" in
  run)
    launch mode-examples dev.mode.examples.tutorial.TutorialMain "" "$@"
    ;;
  test)
    mvnw verify "$@"
    ;;
  bench)
    # The harness's logging setup (WARN) is a file beside the module, not a resource in its jar: a
    # logback.xml inside a jar replaces the logging setup of every program that has it on its class path.
    launch mode-bench dev.mode.bench.BenchMain ":$here/mode-bench/config" "$@"
    ;;
  mvn)
    mvnw "$@"
    ;;
  java-home)
    echo "$JAVA_HOME"
    ;;
  *)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    [ "$cmd" = help ] || exit 2
    ;;
esac
