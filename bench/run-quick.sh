#!/usr/bin/env bash
# The quick subset of the jcnn JMH benchmarks, for the README figures.
#
# Goals: one command that builds the benchmark jar if needed, runs every benchmark (sgemm shapes, conv, pooling,
# training step, inference; scalar and vector at 1 and 2 threads) and, whatever the regex, the Java FMA peak
# (FmaPeakBench) that the report divides the sgemm figures by, and the C FMA peak when a C compiler is present
# (run-c-peak.sh), all in this one session, with short but honest settings (2 forks,
# 3 warm-up and 5 measured iterations of 1 s), records the allocation per op (-prof gc), and leaves in
# bench/results/ the JMH JSON, the console log and the Markdown tables made by jcnn.bench.Report.
# Runs on JDK 25 when it is installed (the Vector API is faster there), else on the default java.
#
# Usage: bench/run-quick.sh [regex] [extra JMH options...]     (the regex is one more include: the peak always runs)
#   e.g. bench/run-quick.sh 'GemmBench' -p shape=SQ1024,CONV2_FWD -p kernel=vector
# Knobs: FORKS (2), WARMUP (3), ITERS (5), TIME (1s), JAVA (path to java), BUILD=1 (rebuild first).
# Takes about half an hour for everything on the project machine; narrow the regex for less.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA=${JAVA:-}
if [[ -z "$JAVA" ]]; then
  if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  else
    JAVA=java
  fi
fi
JAR=bench/target/benchmarks.jar
if [[ ! -f "$JAR" || "${BUILD:-0}" == 1 ]]; then
  mvn -q -B -o -pl bench -am package -DskipTests
fi

REGEX=${1:-'jcnn\.bench\.(GemmBench|ConvBench|PoolBench|TrainStepBench|InferenceBench)\.'}
# JMH runs every benchmark that matches any of its positional regexes.
PEAK_REGEX='jcnn\.bench\.FmaPeakBench\.fma'
shift || true
STAMP=$(date +%Y%m%d-%H%M)
OUT=bench/results/quick-$STAMP
mkdir -p bench/results

echo "java: $JAVA ($("$JAVA" -version 2>&1 | head -1)); results: $OUT.{json,log,md} and $OUT-cpeak.txt"
"$JAVA" --add-modules jdk.incubator.vector -jar "$JAR" "$PEAK_REGEX" "$REGEX" \
  -f "${FORKS:-2}" -wi "${WARMUP:-3}" -i "${ITERS:-5}" -w "${TIME:-1s}" -r "${TIME:-1s}" \
  -prof gc -rf json -rff "$OUT.json" "$@" 2>&1 | tee "$OUT.log"

bench/run-c-peak.sh "$OUT-cpeak.txt" 2>&1 | tee -a "$OUT.log" \
  || { echo "C FMA peak failed (see above); the report prints the Java peak only"; rm -f "$OUT-cpeak.txt"; }
CPEAK=()
[[ -f "$OUT-cpeak.txt" ]] && CPEAK=(--c-peak "$OUT-cpeak.txt")
"$JAVA" -cp "$JAR" jcnn.bench.Report "${CPEAK[@]}" "$OUT.json" | tee "$OUT.md"
