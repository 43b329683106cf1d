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

# Prints the test counts of the last Maven run: one line per module of the reactor (tests, failures, errors,
# skipped), read from its target/surefire-reports/TEST-*.xml; then a total line and, last, one closing line
# `Tests: N passed, N failed, N skipped` (failed = failures + errors). With a second argument, a file, only
# reports newer than that file count: a module that Maven did not reach after a failure keeps its old reports.
# Returns 1 when no module has reports.
bulwark_test_summary() {
  local root="$1" since="${2:-}" module counts tests failures errors skipped
  local total_tests=0 total_failures=0 total_errors=0 total_skipped=0 reported=0
  local -a newer=() files=()
  [ -n "$since" ] && newer=(-newer "$since")
  echo
  echo "bulwark: test counts per module"
  for module in $(sed -n 's:^ *<module>\([^<]*\)</module>.*:\1:p' "$root/pom.xml"); do
    files=()
    if [ -d "$root/$module/target/surefire-reports" ]; then
      mapfile -t files < <(find "$root/$module/target/surefire-reports" -maxdepth 1 -name 'TEST-*.xml' \
        "${newer[@]}" -type f | sort)
    fi
    if [ "${#files[@]}" -eq 0 ]; then
      if [ -d "$root/$module/src/test" ]; then
        printf '  %-10s no test reports (not run)\n' "$module"
      else
        printf '  %-10s no tests\n' "$module"
      fi
      continue
    fi
    # the counts are attributes of each report's <testsuite ...> start tag, in any order, maybe over several lines
    counts="$(awk '
      function attr(tag, name,   m) {
        if (!match(tag, "[ \t\n]" name "=\"[0-9]+\"")) return 0
        m = substr(tag, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); return m + 0
      }
      FNR == 1 { state = 0; tag = "" }
      state == 2 { next }
      {
        line = $0
        if (state == 0) { i = index(line, "<testsuite"); if (i == 0) next; line = substr(line, i); state = 1 }
        j = index(line, ">")
        if (j == 0) { tag = tag " " line; next }
        tag = tag " " substr(line, 1, j); state = 2
        t += attr(tag, "tests"); f += attr(tag, "failures"); e += attr(tag, "errors"); s += attr(tag, "skipped")
      }
      END { print t + 0, f + 0, e + 0, s + 0 }' "${files[@]}")"
    read -r tests failures errors skipped <<<"$counts"
    printf '  %-10s tests %5d  failures %3d  errors %3d  skipped %3d\n' "$module" "$tests" "$failures" "$errors" "$skipped"
    total_tests=$((total_tests + tests)); total_failures=$((total_failures + failures))
    total_errors=$((total_errors + errors)); total_skipped=$((total_skipped + skipped))
    reported=1
  done
  if [ "$reported" -eq 0 ]; then
    echo "bulwark: no test reports (Maven stopped before any tests ran)"
    return 1
  fi
  printf '  %-10s tests %5d  failures %3d  errors %3d  skipped %3d\n' total "$total_tests" "$total_failures" \
    "$total_errors" "$total_skipped"
  echo "Tests: $((total_tests - total_failures - total_errors - total_skipped)) passed, $((total_failures + total_errors)) failed, $total_skipped skipped"
}
