/**
 * Generators for the pictures of the teaching guide in {@code docs/}: each runs the engine's own code on a small
 * example (the kernels on a 4x4 image for im2col, one recorded training step of the seed CNN for the autograd
 * graph) and draws what it computed, so a figure cannot drift from the code it explains. A test in this
 * module re-generates every figure and fails when the committed file is out of date.
 *
 * <p>Not for: anything the engine needs at run time.
 */
package jcnn.eval.docs;
