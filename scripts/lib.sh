# Shared shell functions of the launcher and the scripts. Sourced, not run.

# Prints the home of a JDK 25 or newer: $JAVA_HOME when it is one, else the newest under /usr/lib/jvm.
bulwark_find_java25() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25-* /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    version="$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    if [ -n "$version" ] && [ "${version%%.*}" -ge 25 ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "bulwark: Java 25 was not found (looked at \$JAVA_HOME and /usr/lib/jvm/*)." >&2
  echo "bulwark: install a JDK 25 (Temurin's temurin-25-jdk) or point JAVA_HOME at one." >&2
  return 1
}

# True when the jar is missing or any pom.xml or source file is newer than it.
bulwark_needs_build() {
  local root="$1" jar="$2"
  [ -f "$jar" ] || return 0
  [ -n "$(find "$root" -path "$root/.git" -prune -o \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$jar" -print -quit)" ]
}

# Builds and installs all modules without running tests.
bulwark_build() {
  local root="$1" java_home="$2" log
  log="$(mktemp)"
  if ! ( cd "$root" && JAVA_HOME="$java_home" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
      mvn -B -ntp -Dstyle.color=never -DskipTests clean install ) >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "bulwark: the build failed (output above)" >&2
    return 1
  fi
  rm -f "$log"
}

# Installs the Debian packages Bulwark and its tests need, and any named as arguments, when any is missing.
# Needs root.
bulwark_install_packages() {
  local wanted=(maven git nftables libnftnl11 libmnl0 iproute2 conntrack iperf3 iputils-ping procps "$@")
  local missing=() p
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "bulwark: missing packages: ${missing[*]}; run as root or install them with apt-get" >&2
    return 1
  fi
  echo "bulwark: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
