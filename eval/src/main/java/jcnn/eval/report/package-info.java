/**
 * The run report: PNG plots and one self-contained {@code report.html} per run folder, from plain data.
 *
 * <p>For: turning what a run measured into something a person reads. {@link jcnn.eval.report.RunReport} and its
 * parts ({@link jcnn.eval.report.Machine}, {@link jcnn.training.EpochMetrics},
 * {@link jcnn.eval.report.TestResults} with its {@link jcnn.eval.report.Gallery} of test images,
 * {@link jcnn.eval.report.ExtraSection}) hold the numbers; {@link jcnn.eval.report.Plots} draws the ROC curves, the
 * confusion matrix, the training curves (with the seed study's 91.29% as a reference line) and the learning rate
 * and time per epoch;
 * {@link jcnn.eval.report.HtmlReportWriter} writes the page and the PNGs, each file atomically
 * ({@link jcnn.core.io.AtomicFiles}), so an interrupted run never leaves a half-written report over a good one.
 * The page has no scripts and no external references (a Content-Security-Policy forbids them), so it can be mailed,
 * archived or opened offline and always shows the same thing.
 *
 * <p>How the main program uses it:
 * <pre>{@code
 * TestResults test = TestResults.compute(testLabels, testLogits, ClassNames.fashionMnist(), testImages, 28, 28);
 * RunReport report = new RunReport("Fashion-MNIST CNN, " + kernels.name(), Instant.now(), recipeAsOrderedMap,
 *         Machine.detect(kernels.name(), vectorBits, threads), epochMetrics, test, List.of());
 * Path page = HtmlReportWriter.write(report, runDir);   // runDir/report.html and four PNGs
 * }</pre>
 * A later step adds its findings with {@code report.withSection(new ExtraSection.Table(...))} and writes again.
 *
 * <p>Not for: computing metrics (that is {@code jcnn.eval.metrics}; {@link jcnn.eval.report.TestResults#compute}
 * only calls it), training, timing, or reading reports back: the HTML is for people, and anything a program needs
 * again should be saved as data next to it.
 */
package jcnn.eval.report;
