#!/usr/bin/env bash
# The training step beside PyTorch (DJL, jemalloc) in alternating rounds, 1 and 2 threads, batches 32, 64 and 256,
# after `mvn -Ppeers -pl bench -am package -DskipTests`; run from the repository root. Inference was not re-run:
# neither of this day's changes touches it (the few-rows GEMM is for m <= 64; inference runs batches of 1000).
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
R=${R:-bench/results/2026-12-03}
CP="bench/target/peers/classes:$(cat bench/target/peers/peers.classpath)"
ENV=(LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,retain:true)
for t in 1 2; do
  env "${ENV[@]}" nice -n -20 java --add-modules jdk.incubator.vector -cp "$CP" -Dai.djl.offline=true jcnn.bench.peers.PeerRounds train $t 32 64 256 2>&1 | grep -v 'WARN\|SLF4J'
done > $R/rounds-train.txt
