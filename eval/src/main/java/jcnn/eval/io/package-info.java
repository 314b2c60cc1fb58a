/**
 * Reading trained weights written by other tools, starting with the seed study's HDF5 files.
 *
 * <p>For: turning a file of named float32 arrays into {@link jcnn.eval.io.NamedArray}s, checked against the
 * names, dtype and shapes the caller expects, with errors that say which file and which dataset is wrong
 * ({@link jcnn.eval.io.Hdf5Weights}).
 *
 * <p>Not for: building tensors or models (core does that from the arrays), writing files, or HDF5 beyond what
 * weight files use (attributes, compound types, strings, partial reads).
 */
package jcnn.eval.io;
