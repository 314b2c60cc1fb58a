/**
 * Test helpers shared by the tests of every module above {@code kernels}, published in core's test jar: for tests,
 * never for production code.
 */
package jcnn.core.testing;
