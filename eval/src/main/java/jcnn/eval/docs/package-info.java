/**
 * Generators for the pictures of the teaching guide in {@code docs/}: each runs the engine's own kernels on a
 * small example and draws what they computed, so a figure cannot drift from the code it explains. A test in this
 * module re-generates every figure and fails when the committed file is out of date.
 *
 * <p>Not for: anything the engine needs at run time.
 */
package jcnn.eval.docs;
