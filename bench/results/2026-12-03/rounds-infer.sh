#!/usr/bin/env bash
# Inference of a batch of 1000 beside PyTorch (DJL, jemalloc) and ONNX Runtime, 1 and 2 threads, after
# `mvn -Ppeers -pl bench -am package -DskipTests`; run from the repository root. The ONNX model is exported by
# bench/src/peers/python/export_seed_cnn_onnx.py (Debian's python3-torch); without it, PyTorch only.
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
R=${R:-bench/results/2026-12-03}
CP="bench/target/peers/classes:$(cat bench/target/peers/peers.classpath)"
ENV=(LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,retain:true)
ONNX=()
if /usr/bin/python3 bench/src/peers/python/export_seed_cnn_onnx.py bench/target/peers/seed-cnn.onnx > $R/onnx-export.log 2>&1; then
  ONNX=(-Djcnn.onnx.model=bench/target/peers/seed-cnn.onnx)
fi
for t in 1 2; do
  env "${ENV[@]}" nice -n -20 java --add-modules jdk.incubator.vector -cp "$CP" -Dai.djl.offline=true "${ONNX[@]}" jcnn.bench.peers.PeerRounds infer $t 2>&1 | grep -v 'WARN\|SLF4J'
done > $R/rounds-infer.txt
