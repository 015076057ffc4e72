# tests/citejs/setup.sh - sourced by the ris and csljson tests after
# tests/lib.sh: the npm consumers (citation-js, ajv) at the versions pinned
# in package-lock.json, installed with `npm ci` into $BUILDDIR/citejs (never
# into the source tree) and reused while the lock file is unchanged.
need node npm

CITEJS=$BUILDDIR/citejs
CITEJS_SRC=$SRCDIR/tests/citejs

# citejs_setup: install if needed, then export NODE_PATH. Several tests may
# call it at once (meson runs them in parallel), so the install is done
# under a lock. Returns non-zero when npm fails: the caller must FAIL then.
citejs_setup() {
  mkdir -p "$CITEJS" || return 1
  (
    flock 9 || exit 1
    if cmp -s "$CITEJS_SRC/package-lock.json" "$CITEJS/package-lock.json" &&
      [ -d "$CITEJS/node_modules/@citation-js/core" ]; then
      exit 0
    fi
    cp "$CITEJS_SRC/package.json" "$CITEJS_SRC/package-lock.json" "$CITEJS/" &&
      (cd "$CITEJS" && npm ci --no-audit --no-fund --loglevel=error) >&2 ||
      { rm -f "$CITEJS/package-lock.json"; exit 1; }
  ) 9>"$CITEJS/.lock" || return 1
  export NODE_PATH="$CITEJS/node_modules"
}

# citejs_check ris|csljson OUTPUT TREE.json [SCHEMA]: citation-js reads every
# record and each one matches the tree (tests/citejs/check.js).
citejs_check() {
  node "$CITEJS_SRC/check.js" "$@"
}
