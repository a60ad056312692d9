#!/usr/bin/env bash
# The PowerShell module's C# interop source, compiled as C# 5 by Mono's mcs and run
# with Mono against libmde (loaded by full path, as the module does) and the emulator.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
ensure_packages mono-mcs mono-runtime

cargo build -p mde-ffi -p mde-emulator
out=tests/build/csharp
mkdir -p "$out"
trap stop_emulator EXIT
mcs -langversion:5 -warnaserror -nologo -out:"$out/TestMde.exe" \
    powershell/Mde/MdeNative.cs tests/csharp/TestMde.cs
write_seed "$out/seed.json"
start_emulator --no-rate-limits --seed "$out/seed.json"
# No LD_LIBRARY_PATH: MdeClient.LoadFrom finds the library by directory.
env -u LD_LIBRARY_PATH mono "$out/TestMde.exe" "$EMU_URL" "$PWD/target/debug"
