#!/usr/bin/env bash
# The C FMA peak (src/main/c/fma-peak.c) into one file, for jcnn.bench.Report --c-peak, when a C compiler is
# present; run-quick.sh and run-peers.sh call it right after their GEMM benchmarks, so that the native peak, the
# Java peak (FmaPeakBench) and the GEMM figures share the machine's conditions.
#
# Goals: never required (without cc/gcc it says so and writes nothing; the report then prints the Java peak only);
# -O3 -march=native so that the compiler uses the widest vectors and the FMA instructions of this CPU.
#
# Usage: bench/run-c-peak.sh OUTFILE [max threads (2)]      exit 0 also when skipped; test for OUTFILE
set -euo pipefail
cd "$(dirname "$0")/.."
OUTFILE=${1:?usage: bench/run-c-peak.sh OUTFILE [max threads]}
CC=${CC:-}
if [[ -z "$CC" ]]; then
  CC=$(command -v gcc || command -v cc || true)
fi
if [[ -z "$CC" ]]; then
  echo "C FMA peak: no C compiler (gcc or cc) found; skipped, the report prints the Java peak only"
  exit 0
fi
mkdir -p bench/target
"$CC" -O3 -march=native -pthread -o bench/target/fma-peak bench/src/main/c/fma-peak.c
bench/target/fma-peak "${2:-2}" | tee "$OUTFILE"
