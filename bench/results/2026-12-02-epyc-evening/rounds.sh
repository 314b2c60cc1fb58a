#!/usr/bin/env bash
cd /work/main
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
R=${R:-bench/results/2026-12-02-epyc-evening}
CP="bench/target/peers/classes:$(cat bench/target/peers/peers.classpath)"
ENV=(LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,retain:true)
for t in 1 2; do
  env "${ENV[@]}" nice -n -20 java --add-modules jdk.incubator.vector -cp "$CP" -Dai.djl.offline=true jcnn.bench.peers.PeerRounds train $t 32 64 256 2>&1 | grep -v 'WARN\|SLF4J'
done > $R/rounds-train.txt
/usr/bin/python3 bench/src/peers/python/export_seed_cnn_onnx.py bench/target/peers/seed-cnn.onnx > $R/onnx-export.log 2>&1
for t in 1 2; do
  env "${ENV[@]}" nice -n -20 java --add-modules jdk.incubator.vector -cp "$CP" -Dai.djl.offline=true -Djcnn.onnx.model=bench/target/peers/seed-cnn.onnx jcnn.bench.peers.PeerRounds infer $t 2>&1 | grep -v 'WARN\|SLF4J'
done > $R/rounds-infer.txt
/usr/bin/python3 bench/src/peers/python/export_seed_cnn_onnx.py bench/target/peers/seed-cnn.onnx >/dev/null 2>&1 || true
echo done
