#!/usr/bin/env bash
# Where the training step's steady-state allocation comes from: AllocationCheck under -XX:-UseTLAB, so that every
# allocation is a jdk.ObjectAllocationOutsideTLAB event with its stack, recorded by JFR after 80 s of warm-up (C2
# has compiled the vector kernels by then; interpreted, they allocate every vector), then bytes per step by site.
# Run from the repository root after `mvn install -DskipTests`; OUT= names the table (default: stdout).
J=${J:-/usr/lib/jvm/temurin-25-jdk-amd64/bin}
D=bench/results/2026-12-04
timeout 130 nice -n -20 $J/java -XX:-UseTLAB \
  -XX:StartFlightRecording=delay=80s,duration=30s,settings=$D/alloc.jfc,filename=/tmp/alloc-sources.jfr \
  --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar jcnn.bench.AllocationCheck vector 1 4000 \
  > /dev/null 2>&1
$J/jfr print --events jdk.ObjectAllocationOutsideTLAB --stack-depth 8 /tmp/alloc-sources.jfr > /tmp/alloc-sources.txt
python3 $D/alloc_sites.py /tmp/alloc-sources.txt 40 > "${OUT:-/dev/stdout}"
