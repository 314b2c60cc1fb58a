/**
 * The scalar-vs-vector comparison behind {@code mvn exec:java -Dcompare=true}: {@link jcnn.eval.compare.Comparison}
 * trains one recipe from one seed on both kernel paths and measures agreement and speed;
 * {@link jcnn.eval.compare.LogitAgreement} measures how far apart two sets of logits are;
 * {@link jcnn.eval.compare.ComparisonReport} writes {@code comparison.md} and the sections of report.html.
 *
 * <p>Not for: kernel micro-benchmarks (those are in {@code bench}, with JMH's warm-up and statistics), or checking
 * kernels for correctness (the scalar-vs-vector property tests in {@code core} and {@code kernels} do that).
 */
package jcnn.eval.compare;
