#!/usr/bin/env bash
# Peers side by side in one session: our benchmarks next to OpenBLAS (bytedeco) sgemm, PyTorch (libtorch via
# DJL) training and inference of the seed CNN and ONNX Runtime's inference of it, then one Markdown table of
# ratios ours / theirs. The Java FMA peak
# (FmaPeakBench) runs with the sgemm benchmarks and the C FMA peak (run-c-peak.sh, when a C compiler is present)
# right after them, so that "% of peak" divides by a peak of this session.
#
# Goals: each peer at its best, each in the environment it needs, all in one run so that the ratios share the
# machine's conditions (ANCHORS.md):
#   - GEMM (ours and OpenBLAS): OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset *in that command only*; the
#     machine-wide values force OpenBLAS's AVX2 kernels.
#   - Training and inference (ours and PyTorch): libtorch is only stable on this VM with jemalloc keeping its
#     pages (LD_PRELOAD of Debian's libjemalloc2, MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,retain:true).
#     Ours runs in the same environment; the JVM's heap does not go through malloc, so it changes nothing for us.
#   - DJL runs with -Dai.djl.offline=true: libtorch comes from the bundled pytorch-native-cpu jar, nothing is
#     downloaded at run time.
# The default build never sees the peers: only `mvn -Ppeers` adds them (and downloads them once).
#
# Usage: bench/run-peers.sh            (full: 2 forks, 3 x 1 s warm-up, 5 x 1 s measured)
#        QUICK=1 bench/run-peers.sh    (a smoke run: 1 fork, 1 + 2 short iterations, a few shapes)
# Knobs: FORKS, WARMUP, ITERS, TIME, SHAPES (GemmShape names, comma-separated), BATCHES (32,64,256), THREADS (1,2),
#        JAVA (path to java), KERNEL (ours: vector when built, else scalar).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${QUICK:-0}" == 1 ]]; then
  : "${FORKS:=1}" "${WARMUP:=10}" "${ITERS:=2}" "${TIME:=1s}" "${SHAPES:=SQ1024,CONV2_FWD,FC1_FWD,ANCHOR_CONV2_FWD}"
fi
FORKS=${FORKS:-2} WARMUP=${WARMUP:-3} ITERS=${ITERS:-5} TIME=${TIME:-1s}
THREADS=${THREADS:-1,2} BATCHES=${BATCHES:-32,64,256}
SHAPE_OPT=()
[[ -n "${SHAPES:-}" ]] && SHAPE_OPT=(-p "shape=$SHAPES")

JAVA=${JAVA:-}
if [[ -z "$JAVA" ]]; then
  if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  else
    JAVA=java
  fi
fi

# jemalloc for libtorch (Debian's package; installed once if missing).
JEMALLOC=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
if [[ ! -f "$JEMALLOC" ]]; then
  echo "installing libjemalloc2 (libtorch needs it on this VM)"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libjemalloc2
fi

# Build with the peers (the first time this downloads DJL, libtorch and OpenBLAS from Maven Central, ~130 MB).
mvn -q -B -Ppeers -pl bench -am package -DskipTests
CP="bench/target/peers/classes:$(cat bench/target/peers/peers.classpath)"

# Ours at its best: the vector kernels when this build has them.
if [[ -z "${KERNEL:-}" ]]; then
  if [[ -f kernels/target/classes/jcnn/kernels/VectorKernels.class ]]; then KERNEL=vector; else KERNEL=scalar; fi
fi
if [[ "$KERNEL" == scalar ]]; then
  echo "note: VectorKernels is not in this build; comparing the scalar kernels (single-threaded)"
fi

STAMP=$(date +%Y%m%d-%H%M)
OUT=bench/results/peers-$STAMP
mkdir -p bench/results
# JVM flags go before the main class; JMH passes the host JVM's flags on to every fork.
JVM=("$JAVA" --add-modules jdk.incubator.vector -cp "$CP")
JMH=(org.openjdk.jmh.Main -f "$FORKS" -wi "$WARMUP" -i "$ITERS" -w "$TIME" -r "$TIME"
     -p "threads=$THREADS" -p "kernel=$KERNEL")
echo "java: $JAVA ($("$JAVA" -version 2>&1 | head -1)); ours: $KERNEL; results: $OUT-*.json"

echo "== sgemm: ours and OpenBLAS (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE unset), and the Java FMA peak"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${JVM[@]}" "${JMH[@]}" \
  'jcnn\.bench\.(GemmBench|peers\.OpenBlasGemmBench)\.sgemm' 'jcnn\.bench\.FmaPeakBench\.fma' "${SHAPE_OPT[@]}" \
  -rf json -rff "$OUT-gemm.json" 2>&1 | tee "$OUT-gemm.log"
echo "== the C FMA peak"
bench/run-c-peak.sh "$OUT-cpeak.txt" 2>&1 | tee -a "$OUT-gemm.log" \
  || { echo "C FMA peak failed (see above); the report prints the Java peak only"; rm -f "$OUT-cpeak.txt"; }
CPEAK=()
[[ -f "$OUT-cpeak.txt" ]] && CPEAK=(--c-peak "$OUT-cpeak.txt")

TORCH_ENV=(LD_PRELOAD="$JEMALLOC" MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,retain:true)
echo "== training step: ours and PyTorch (jemalloc)"
env "${TORCH_ENV[@]}" "${JVM[@]}" -Dai.djl.offline=true "${JMH[@]}" \
  'jcnn\.bench\.(TrainStepBench\.step|peers\.DjlTrainStepBench\.step)' -p "batch=$BATCHES" \
  -rf json -rff "$OUT-train.json" 2>&1 | tee "$OUT-train.log"

# ONNX Runtime's model: the seed CNN exported by PyTorch (Debian's python3-torch); without it, that peer is left out.
ONNX=bench/target/peers/seed-cnn.onnx
INFER_PEERS='peers\.DjlInferenceBench\.infer'
if [[ -f "$ONNX" ]] || /usr/bin/python3 bench/src/peers/python/export_seed_cnn_onnx.py "$ONNX"; then
  INFER_PEERS="$INFER_PEERS|peers\.OrtInferenceBench\.infer"
else
  echo "note: no ONNX model (apt-get install python3-torch to export one); ONNX Runtime is left out"
fi
echo "== inference, batch 1000: ours, PyTorch (jemalloc) and ONNX Runtime"
env "${TORCH_ENV[@]}" "${JVM[@]}" -Dai.djl.offline=true -Djcnn.onnx.model="$ONNX" "${JMH[@]}" \
  "jcnn\\.bench\\.(InferenceBench\\.infer|$INFER_PEERS)" \
  -rf json -rff "$OUT-infer.json" 2>&1 | tee "$OUT-infer.log"

"$JAVA" -cp "$CP" jcnn.bench.Report "${CPEAK[@]}" "$OUT-gemm.json" "$OUT-train.json" "$OUT-infer.json" | tee "$OUT.md"
