# Helpers for the test scripts: sourced, not run.

# Installs Debian packages that are missing (CI and fresh machines run as root).
ensure_packages() {
    local missing=()
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing: ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# Writes the seed the cross-language tests use: ids 10000000-...-000000000000 to
# ...000000000400 Pending, 20000000-...-000000000001 Succeeded, 40000000-...-1 and -2
# Pending (for the bulk calls).
write_seed() {
    python3 - "$1" <<'PY'
import json, sys
actions = [{"id": "10000000-0000-4000-8000-%012d" % i, "status": "Pending"} for i in range(401)]
actions.append({"id": "20000000-0000-4000-8000-000000000001", "status": "Succeeded"})
actions += [{"id": "40000000-0000-4000-8000-%012d" % i, "status": "Pending"} for i in (1, 2)]
json.dump(actions, open(sys.argv[1], "w"))
PY
}

# Starts the emulator binary with the given options; sets EMU_URL and EMU_PID.
start_emulator() {
    local out
    out=$(mktemp)
    "${EMU_BIN:-target/debug/mde-emulator}" --listen 127.0.0.1:0 "$@" >"$out" 2>&1 &
    EMU_PID=$!
    for _ in $(seq 1 100); do
        if grep -q '^listening on ' "$out"; then break; fi
        sleep 0.05
    done
    EMU_URL=$(sed -n 's/^listening on //p' "$out" | head -1)
    rm -f "$out"
    if [ -z "$EMU_URL" ]; then
        echo "the emulator did not start" >&2
        return 1
    fi
}

stop_emulator() {
    if [ -n "${EMU_PID:-}" ]; then
        kill "$EMU_PID" 2>/dev/null || true
        wait "$EMU_PID" 2>/dev/null || true
        EMU_PID=""
    fi
}
