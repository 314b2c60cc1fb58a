#!/usr/bin/env bash
# The quiet-window measurements of 2026-12-02 afternoon (AMD EPYC, AVX-512), nothing else running.
set -uo pipefail
cd /work/main
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
R=${R:-/work/quiet/out}; mkdir -p "$R"
uptime > "$R/uptime-start.txt"
STAGES=${STAGES:-build chunks stepcpu oldstep train infer gemm main mainold recipes deep}
JAVA=$JAVA_HOME/bin/java
JEMALLOC=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
CP="bench/target/peers/classes:$(cat bench/target/peers/peers.classpath 2>/dev/null)"
JVM=(nice -n -20 "$JAVA" --add-modules jdk.incubator.vector -cp "$CP")
JMH=(org.openjdk.jmh.Main -f 1 -wi 10 -i 5 -w 1s -r 1s -p threads=1,2 -p kernel=vector)
TORCH_ENV=(LD_PRELOAD="$JEMALLOC" MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,retain:true)
for s in $STAGES; do
  echo "== $s $(date -u +%H:%M:%S)"
  case $s in
    build)
      mvn -q -B -o install -DskipTests && mvn -q -B -o -Ppeers -pl bench -am package -DskipTests
      CP="bench/target/peers/classes:$(cat bench/target/peers/peers.classpath)"; JVM=(nice -n -20 "$JAVA" --add-modules jdk.incubator.vector -cp "$CP");;
    train)
      env "${TORCH_ENV[@]}" "${JVM[@]}" -Dai.djl.offline=true "${JMH[@]}" -p batch=32,64,256 -p schedule=chunks \
        'jcnn\.bench\.(TrainStepBench\.step|peers\.DjlTrainStepBench\.step)' -rf json -rff "$R/peers-train.json" > "$R/peers-train.log" 2>&1;;
    whole)
      env "${TORCH_ENV[@]}" "${JVM[@]}" "${JMH[@]}" -p batch=64 -p schedule=whole,chunks \
        'jcnn\.bench\.TrainStepBench\.step' -rf json -rff "$R/trainstep-schedules.json" > "$R/trainstep-schedules.log" 2>&1;;
    infer)
      env "${TORCH_ENV[@]}" "${JVM[@]}" -Dai.djl.offline=true -Djcnn.onnx.model=bench/target/peers/seed-cnn.onnx "${JMH[@]}" -p batch=1000 \
        'jcnn\.bench\.(InferenceBench\.infer|peers\.DjlInferenceBench\.infer|peers\.OrtInferenceBench\.infer)' -rf json -rff "$R/peers-infer.json" > "$R/peers-infer.log" 2>&1;;
    gemm)
      env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${JVM[@]}" org.openjdk.jmh.Main -f 1 -wi 4 -i 3 -w 1s -r 1s -p threads=1,2 -p kernel=vector \
        -p shape=SQ1024,CONV1_DW,CONV2_FWD,CONV2_DW,CONV2_DX,FC1_FWD,FC1_DW,FC1_DX \
        'jcnn\.bench\.(GemmBench|peers\.OpenBlasGemmBench)\.sgemm' 'jcnn\.bench\.FmaPeakBench\.fma' -rf json -rff "$R/peers-gemm.json" > "$R/peers-gemm.log" 2>&1
      bench/run-c-peak.sh "$R/cpeak.txt" > /dev/null 2>&1 || rm -f "$R/cpeak.txt";;
    chunks)
      javac -d /tmp/prof --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar /tmp/prof/Prof2.java 2>/dev/null
      for b in 64 256; do for t in 1 2; do nice -n -20 "$JAVA" --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar:/tmp/prof Prof2 $b $t 8 16 32 64 2>&1 | grep -v WARN; done; done > "$R/chunk-sizes.txt";;
    stepcpu)
      for b in 16 64; do nice -n -20 "$JAVA" --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar jcnn.bench.StepCpuTime $b 2>&1 | grep -v WARN; done > "$R/stepcputime.txt";;
    oldstep)
      nice -n -20 "$JAVA" --add-modules jdk.incubator.vector -jar /tmp/old/bench/target/benchmarks.jar TrainStepBench -p kernel=vector -p batch=64 -p threads=1,2 \
        -f 1 -wi 10 -i 5 -w 1s -r 1s -rf json -rff "$R/trainstep-before.json" > "$R/trainstep-before.log" 2>&1
      nice -n -20 "$JAVA" --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar TrainStepBench -p kernel=vector -p batch=64 -p threads=1,2 -p schedule=chunks \
        -f 1 -wi 10 -i 5 -w 1s -r 1s -rf json -rff "$R/trainstep-after.json" > "$R/trainstep-after.log" 2>&1;;
    mainold)
      (cd /tmp && rm -rf qmainold && mkdir qmainold && cd qmainold && nice -n -20 "$JAVA" -Ddata=/work/main/data/fashion-mnist -jar /tmp/old/eval/target/jcnn.jar --kernel vector --threads 2 --progress false) > "$R/main-job-before.log" 2>&1;;
    main)
      (cd /tmp && rm -rf qmain && mkdir qmain && cd qmain && nice -n -20 "$JAVA" -Ddata=/work/main/data/fashion-mnist -jar /work/main/eval/target/jcnn.jar --kernel vector --threads 2 --progress false) > "$R/main-job-default.log" 2>&1;;
    recipes)
      for r in fast fast2 best; do (cd /tmp && rm -rf q$r && mkdir q$r && cd q$r && nice -n -20 "$JAVA" -Ddata=/work/main/data/fashion-mnist -jar /work/main/eval/target/jcnn.jar --kernel vector --threads 2 --progress false --recipe ${r%2}) > "$R/recipe-$r.log" 2>&1; sha256sum /tmp/q$r/runs/*/weights.safetensors >> "$R/recipe-hashes.txt"; done;;
    deep)
      (cd /tmp && rm -rf qdeep && mkdir qdeep && cd qdeep && nice -n -20 "$JAVA" -Ddata=/work/main/data/fashion-mnist -jar /work/main/eval/target/jcnn.jar --kernel vector --threads 2 --progress false --model deep --epochs 3) > "$R/deep-3-epochs.log" 2>&1;;
  esac
done
"$JAVA" -cp "$CP" jcnn.bench.Report $( [[ -f $R/cpeak.txt ]] && echo --c-peak $R/cpeak.txt ) $(ls $R/peers-gemm.json $R/peers-train.json $R/peers-infer.json 2>/dev/null) > "$R/peers.md" 2>&1
uptime > "$R/uptime-end.txt"
echo "== done $(date -u +%H:%M:%S)"
