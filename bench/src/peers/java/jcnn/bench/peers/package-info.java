/**
 * Peer benchmarks, compiled only with {@code mvn -Ppeers}: OpenBLAS sgemm (bytedeco) on our {@code GemmShape}s,
 * PyTorch (libtorch through DJL) training and inferring the seed CNN on our {@code SyntheticBatch}es, and ONNX
 * Runtime inferring it (the model exported by bench/src/peers/python/export_seed_cnn_onnx.py). They
 * run in the same JMH session as our benchmarks so that {@code jcnn.bench.Report} can print ratios ours / theirs
 * measured under the same machine conditions.
 *
 * <p>Each peer gets its best conditions (see bench/README.md and ANCHORS.md): OpenBLAS without the machine-wide
 * {@code OPENBLAS_CORETYPE}/{@code OPENBLAS_L2_SIZE} overrides, libtorch with jemalloc and page release off.
 * {@code bench/run-peers.sh} sets both up. Not for correctness: these only measure.
 */
package jcnn.bench.peers;
