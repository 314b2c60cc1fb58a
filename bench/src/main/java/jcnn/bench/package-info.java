/** Placeholder until the module's first class lands. */
package jcnn.bench;
